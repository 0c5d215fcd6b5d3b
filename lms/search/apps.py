from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The site search: courses, conferences and podcast episodes, grouped by kind."""

    name = "lms.search"
    label = "search"
    verbose_name = "Site search"
