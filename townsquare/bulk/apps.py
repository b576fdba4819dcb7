from django.apps import AppConfig


class BulkConfig(AppConfig):
    name = "townsquare.bulk"
    label = "bulk"
