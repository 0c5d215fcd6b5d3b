"""A NUL character in a request's path is never part of an address this site gave out.

PostgreSQL refuses text holding NUL, so a path segment such as ``/survey/%00/`` looked up as it
stands would be a server error instead of "not found". Form fields are guarded by Django's own
``ProhibitNullCharactersValidator``; a path reaches views through URL converters, which are not,
so it is answered here, before any view or other middleware (Wagtail's redirects look the path
up too) reads it.
"""

from django.http import Http404


class NullCharacterPathMiddleware:
    """Answer 404 for any path holding a NUL character, whatever it names."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or "\x00" in request.path:
            # Raised, not returned, so the site's own 404 page answers, with the usual headers.
            raise Http404("No page has this address.")
        return self.get_response(request)
