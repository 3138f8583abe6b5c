"""Rasa input channels of ShopAssist (named in credentials.yml)."""
