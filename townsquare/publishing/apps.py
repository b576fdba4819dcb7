from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "townsquare.publishing"
    label = "publishing"

    def ready(self) -> None:
        from townsquare.publishing import actions  # noqa: F401  (signal receivers)
