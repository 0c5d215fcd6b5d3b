"""The counted audio address: every play, from the feed or the episode page, comes through here."""

from django.urls import path

from podcasts import delivery

urlpatterns = [
    path("podcasts/audio/<uuid:guid>.<str:extension>", delivery.audio, name="podcast_audio"),
]
