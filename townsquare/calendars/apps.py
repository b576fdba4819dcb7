from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "townsquare.calendars"
    label = "calendars"
