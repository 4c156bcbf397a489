"""An append-only log of every state change: who, which request, what, before and after."""
