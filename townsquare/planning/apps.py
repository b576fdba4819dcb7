from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "townsquare.planning"
    label = "planning"
