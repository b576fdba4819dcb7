from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "townsquare.compliance"
    label = "compliance"
