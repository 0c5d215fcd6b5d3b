from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo programme `make run` loads (financial year 2019/20, from shared/PROGRAMME.md).

    It sits outside lms/ because it may use every app, including course, event and podcast pages.
    """

    name = "demo"
