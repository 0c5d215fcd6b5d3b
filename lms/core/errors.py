"""The page for a server error (handler500 in lms/urls.py).

Django's own `server_error` renders 500.html with an empty context; this one passes the few things
the page names — the site's name, where static files are, the contact address and the request's
id (lms/core/requestlog.py), so a person can quote it and the operator find the log lines — all
read from settings or the request object, in memory. Nothing here touches the database, the cache
or a context processor, and if rendering fails all the same, a plain-text answer still goes out.
"""

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader


def server_error(request, template_name="500.html"):
    context = {
        "site_name": getattr(settings, "SITE_NAME", ""),
        "static_url": getattr(settings, "STATIC_URL", "/static/"),
        "contact_email": getattr(settings, "PROGRAMME_CONTACT_EMAIL", ""),
        "request_id": getattr(request, "request_id", ""),
    }
    try:
        body = loader.get_template(template_name).render(context)
    except Exception:
        return HttpResponseServerError(
            "Sorry, there is a problem with the service. Try again later.",
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponseServerError(body)
