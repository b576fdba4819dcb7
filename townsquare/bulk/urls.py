"""Pages of the bulk app."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
