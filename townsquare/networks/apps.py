from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "townsquare.networks"
    label = "networks"
