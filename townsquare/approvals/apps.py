from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "townsquare.approvals"
    label = "approvals"
