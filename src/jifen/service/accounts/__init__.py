"""Who: people and their roles, employers, one-time set-password links, API tokens, login throttling."""
