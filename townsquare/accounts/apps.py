from typing import Any

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    default = True
    name = "townsquare.accounts"
    label = "accounts"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self)


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with Townsquare's site (admin_site.py)."""

    default = False
    default_site = "townsquare.accounts.admin_site.AdminSite"


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """The database cache (the sign-in rate limits' counts) is a table outside the models:
    every migrate, and so `townsquare setup`, makes sure it exists. Nothing when the cache
    is Redis."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
