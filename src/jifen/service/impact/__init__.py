"""Policy-change impact for maintainers: a proposal as overlay files, scored over the holders the service knows."""
