from django.apps import AppConfig


class RateLimitsConfig(AppConfig):
    name = "townsquare.ratelimits"
    label = "ratelimits"
    verbose_name = "Rate limits"
