from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "townsquare.content"
    label = "content"
