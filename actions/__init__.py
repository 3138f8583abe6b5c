"""ShopAssist's rasa-sdk action server: thin adapters over the `shopassist` services."""
