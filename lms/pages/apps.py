from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "lms.pages"
    label = "pages"
    verbose_name = "Site pages"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.models import PageViewRestriction, Site, get_page_models
        from wagtail.signals import post_page_move

        from lms.core import cache

        from .models import FooterLinks, Navigation, NavigationLink

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

        # The site version (lms/core/cache.py): routes, navigation, breadcrumbs, footer links.
        for model in (*get_page_models(), Site, PageViewRestriction, NavigationLink):
            post_save.connect(cache.bump_site, sender=model, dispatch_uid=f"site-save-{model}")
            post_delete.connect(cache.bump_site, sender=model, dispatch_uid=f"site-delete-{model}")
        for model in (Navigation, FooterLinks):
            post_save.connect(_setting_saved, sender=model, dispatch_uid=f"site-save-{model}")
            post_delete.connect(cache.bump_site, sender=model, dispatch_uid=f"site-delete-{model}")
        post_page_move.connect(cache.bump_site, dispatch_uid="site-page-moved")

        # The permissions version: whether someone sees the admin link.
        User = get_user_model()
        for relation in (User.groups.through, User.user_permissions.through):
            m2m_changed.connect(
                cache.bump_permissions, sender=relation, dispatch_uid=f"permissions-{relation}"
            )
        m2m_changed.connect(
            cache.bump_permissions,
            sender=Group.permissions.through,
            dispatch_uid="permissions-group",
        )
        post_save.connect(_user_saved, sender=User, dispatch_uid="permissions-user-save")
        for model in (User, Group, Permission):
            post_delete.connect(
                cache.bump_permissions, sender=model, dispatch_uid=f"permissions-delete-{model}"
            )


def _navigation_saved(sender, instance, created, **kwargs):
    from lms.core import cache

    if not created:
        cache.bump()


def _setting_saved(sender, instance, created, **kwargs):
    """A site setting made empty on a site's first request changes nothing shown."""
    from lms.core import cache

    if not created:
        cache.bump_site()


def _user_saved(sender, instance, created, update_fields=None, **kwargs):
    """Becoming a superuser or being deactivated changes admin access; signing in (which saves
    only last_login) does not."""
    from lms.core import cache

    if not created and update_fields != frozenset({"last_login"}):
        cache.bump_permissions()
