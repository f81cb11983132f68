"""Delivery: upload to a provider's API, or send test emails over SMTP."""
