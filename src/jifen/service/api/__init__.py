"""The JSON API under /api/v1 (django-ninja, OpenAPI generated at /api/v1/openapi.json)."""
