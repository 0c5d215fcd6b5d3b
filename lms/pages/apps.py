from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "lms.pages"
    label = "pages"
    verbose_name = "Site pages"
