"""The web app of the support team and the shop page: chat page, review console, analytics,
human takeover. It reads Rasa's tracker store and the shop database, and talks to the
assistant only through Rasa's HTTP API."""
