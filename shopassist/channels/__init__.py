"""Rasa input channels of ShopAssist (named in credentials.yml) and the web chat's own routes."""
