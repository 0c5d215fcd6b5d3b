from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "lms.pages"
    label = "pages"
    verbose_name = "Site pages"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from lms.core import cache

        from .models import Navigation, NavigationLink

        # Cached public pages (What's on) carry the header: a change of its links makes them stale.
        for model in (Navigation, NavigationLink):
            post_save.connect(
                cache.bump, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}"
            )
            post_delete.connect(
                cache.bump, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}"
            )
