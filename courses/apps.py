from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """Course pages: masterclasses, officer training programmes, e-learning courses (issue 3)."""

    name = "courses"
