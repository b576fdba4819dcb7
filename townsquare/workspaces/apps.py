from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "townsquare.workspaces"
    label = "workspaces"

    def ready(self) -> None:
        from townsquare.workspaces import signals  # noqa: F401
