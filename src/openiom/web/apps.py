from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "openiom.web"
    label = "web"
    verbose_name = "Layout, home page and sections"
