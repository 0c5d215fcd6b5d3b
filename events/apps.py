from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Conference pages, the "What's on" listing and the public calendar feed (issue 3)."""

    name = "events"
