from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jifen.service.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
