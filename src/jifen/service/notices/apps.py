from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "jifen.service.notices"
    label = "notices"
    default_auto_field = "django.db.models.BigAutoField"
