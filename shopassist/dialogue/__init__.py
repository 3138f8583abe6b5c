"""Conversation helpers shared by the actions: reading free-text answers, reply wording."""
