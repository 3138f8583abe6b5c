"""`python -m bench.serving`: see bench/serving/runner.py."""

import sys

from bench.serving.runner import main

sys.exit(main())
