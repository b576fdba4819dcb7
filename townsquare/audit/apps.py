from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "townsquare.audit"
    label = "audit"
