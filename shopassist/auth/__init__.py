"""Who the customer is: signed customer tokens from a logged-in shop page."""
