from django.apps import AppConfig


class QueuesConfig(AppConfig):
    name = "townsquare.queues"
    label = "queues"
