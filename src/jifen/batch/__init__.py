"""Many holders at once: the batch file layout, a synthetic population, scoring them in chunks."""
