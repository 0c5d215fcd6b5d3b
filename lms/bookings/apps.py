from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "lms.bookings"
    label = "bookings"
    verbose_name = "Runs and bookings"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished

        from lms.core import cache
        from lms.pages.models import Theme

        from .models import BookablePage, Booking, Run, Session, Venue

        # Anything the public listing or feed shows: its cached copies go stale.
        for model in (Run, Session, Venue, Theme, BookablePage):
            post_save.connect(
                cache.bump, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}"
            )
            post_delete.connect(
                cache.bump, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}"
            )
        post_save.connect(cache.bump_places, sender=Booking, dispatch_uid="places-save")
        post_delete.connect(cache.bump_places, sender=Booking, dispatch_uid="places-delete")
        page_published.connect(cache.bump, dispatch_uid="catalogue-page-published")
        page_unpublished.connect(cache.bump, dispatch_uid="catalogue-page-unpublished")
