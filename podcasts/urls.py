"""The counted audio address (every play, from the feed or the episode page, comes through here),
and the feeds answered from the cache before page routing."""

from django.urls import path, re_path

from podcasts import delivery, feed

urlpatterns = [
    path("podcasts/audio/<uuid:guid>.<str:extension>", delivery.audio, name="podcast_audio"),
    # A show's feed, answered from the cache before Wagtail's routing (Wagtail's own pattern).
    re_path(r"^((?:[\w\-]+/)+feed/)$", feed.served_from_cache, name="podcast_feed_cached"),
]
