from django.apps import AppConfig


class PodcastsConfig(AppConfig):
    """The podcast: show and episode pages, RSS feed, audio delivery, download counts (issue 6)."""

    name = "podcasts"

    def ready(self):
        from podcasts import signals

        signals.connect()
