"""Pages of the approvals app."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
