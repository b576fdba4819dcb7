from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "townsquare.analytics"
    label = "analytics"
