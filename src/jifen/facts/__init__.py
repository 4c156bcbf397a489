"""Facts: validated input of one holder."""
