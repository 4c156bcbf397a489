"""Applications: filing, materials, the review workflow and its working-day deadlines."""
