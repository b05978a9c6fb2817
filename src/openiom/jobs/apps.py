from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "openiom.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
