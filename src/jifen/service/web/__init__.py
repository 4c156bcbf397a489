"""Pages. For now: the landing page and the public notice verification page (more in issue 5)."""
