"""The jifen command: thin wrappers over the layers below."""
