"""Notifications: an inbox for every user and e-mail, on status changes and from ``jifen tick``."""
