"""Who may open any page under /admin/: only people with Wagtail's admin access permission.

Wagtail checks access view by view and answers a signed-in person without it with a redirect to
the sign-in page, which (allauth sending signed-in people on to `next`) loops back to /admin/
until the browser gives up. Some admin pages mounted ahead of Wagtail's (the organiser's account
page) had no check at all. This middleware answers every /admin/ URL before any view runs:

- not signed in: sent to the sign-in page, and back to the page asked for afterwards;
- signed in without admin access: a 403 page in the site's own style, pointing to My bookings;
- otherwise the admin's own checks apply as before.

The admin's sign-in URL stays open: it is allauth's sign-in view (lms/urls.py)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse


def can_use_admin(user):
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def no_admin_access(request):
    """The 403 page for a signed-in person who is not an organiser."""
    return TemplateResponse(request, "accounts/no_admin_access.html", status=403).render()


class AdminAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            admin_root = reverse("wagtailadmin_home", urlconf=getattr(request, "urlconf", None))
            login = reverse("admin_login", urlconf=getattr(request, "urlconf", None))
        except NoReverseMatch:  # a URLconf without the admin (a test's own, say): nothing to guard
            return self.get_response(request)
        if request.path_info.startswith(admin_root) and request.path_info != login:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.WAGTAILADMIN_LOGIN_URL)
            if not can_use_admin(request.user):
                return no_admin_access(request)
        return self.get_response(request)
