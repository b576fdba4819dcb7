from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "townsquare.ui"
    label = "ui"
