from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "jifen.service.impact"
    label = "impact"
    default_auto_field = "django.db.models.BigAutoField"
