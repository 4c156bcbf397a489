from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jifen.service.web"
    label = "web"
