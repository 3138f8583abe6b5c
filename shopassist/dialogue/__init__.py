"""Conversation helpers: free-text form answers, refusals and next steps, handing over."""
