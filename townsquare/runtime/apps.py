from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    name = "townsquare.runtime"
    label = "runtime"
