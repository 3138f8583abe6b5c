"""ShopAssist's benchmarks: `make bench` runs them (bench/run.py); see bench/BENCHMARKS.md."""
