"""Policy data: dated parameters with sources, loaded strictly."""
