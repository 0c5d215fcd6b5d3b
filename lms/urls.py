from allauth.account.views import login as allauth_login
from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.urls import reports as wagtail_reports_urls
from wagtail.contrib.redirects import urls as wagtail_redirects_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.accounts.admin_account import OrganiserAccountView
from lms.accounts.views import AdminLoginView, shared_passwords_are_off
from lms.core import routing
from lms.core.exports import through_the_exporter
from podcasts.admin_audio import delete_audio

# A server error's page needs nothing that can itself fail (lms/core/errors.py). Not-found pages,
# Wagtail's included, are Django's handler404 with templates/404.html.
handler500 = "lms.core.errors.server_error"

urlpatterns = [
    # Wagtail's own sign-in form would skip allauth's rate limits: every sign-in goes through
    # allauth, which sends organisers back to the admin afterwards.
    path("admin/login/", AdminLoginView.as_view(), name="admin_login"),
    # The same for Wagtail's front-end sign-in for private pages (wagtail_urls, below), and no
    # shared passwords for private pages or document collections (settings: they are turned off;
    # these were their unlimited password forms).
    path("_util/login/", allauth_login, name="frontend_login"),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        shared_passwords_are_off,
    ),
    path("documents/authenticate_with_password/<int:restriction_id>/", shared_passwords_are_off),
    path("admin/account/", OrganiserAccountView.as_view()),
    path("admin/figures/", include("lms.reports.urls")),
    # Mounted ahead of Wagtail's admin, like the Figures, so that a signed-in person without the
    # permission gets a 403 rather than Wagtail's redirect to the sign-in page (and back again).
    path("admin/podcast/", include("podcasts.admin_urls")),
    # wagtailmedia's delete, for audio an episode uses: says so instead of failing on PROTECT.
    path("admin/media/delete/<int:media_id>/", delete_audio),
    # Wagtail's own reports and redirects, exporting through lms/core/exports.py
    # (the one formula-safe writer) at their usual addresses; the rest of each is Wagtail's.
    path("admin/reports/", include(through_the_exporter(wagtail_reports_urls.urlpatterns))),
    path("admin/redirects/", include(through_the_exporter(wagtail_redirects_urls.urlpatterns))),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("account/", include("allauth.urls")),
    path("account/", include("lms.accounts.urls")),
    path("", include("lms.bookings.urls")),
    path("", include("lms.surveys.urls")),
    path("", include("lms.certificates.urls")),
    path("", include("lms.learning.urls")),
    path("", include("podcasts.urls")),
    path("", include("lms.search.urls")),
    path("accounts/", RedirectView.as_view(url="/account/", permanent=True)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    from lms.core.files import public_media

    # Uploads, except the folders only a checking view hands out (certificates, podcast audio).
    urlpatterns += static(settings.MEDIA_URL, view=public_media, document_root=settings.MEDIA_ROOT)

# Page addresses go to Wagtail's page serving with its routing answered from the cache where it
# can be (lms/core/routing.py); Wagtail's own patterns (same address pattern) still name them.
urlpatterns += [
    re_path(wagtail_urls.serve_pattern, routing.serve, name="page_served_from_cache"),
    path("", include(wagtail_urls)),
]
