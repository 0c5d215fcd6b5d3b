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
        # The setting itself is made empty on a site's first request (Wagtail's for_request), which
        # changes nothing shown: bumping then would make the page being cached stale at once.
        post_save.connect(
            _navigation_saved, sender=Navigation, dispatch_uid="catalogue-save-Navigation"
        )
        post_save.connect(
            cache.bump, sender=NavigationLink, dispatch_uid="catalogue-save-NavigationLink"
        )
        for model in (Navigation, NavigationLink):
            post_delete.connect(
                cache.bump, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}"
            )


def _navigation_saved(sender, instance, created, **kwargs):
    from lms.core import cache

    if not created:
        cache.bump()
