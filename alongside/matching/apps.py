from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "alongside.matching"
    label = "matching"
    verbose_name = "Duplicate detection"
