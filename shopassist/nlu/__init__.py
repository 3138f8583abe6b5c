"""Rasa NLU components of ShopAssist. Only text in, features and labels out: no database here."""
