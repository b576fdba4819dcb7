from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "townsquare.notifications"
    label = "notifications"
