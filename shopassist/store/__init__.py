"""The shop's domain: orders, customers and their rules, over SQLAlchemy.

Imports neither rasa nor rasa_sdk, so it can be used and tested without a dialogue engine.
"""
