"""The site's URLs plus a bare view that returns fixed HTML, for comparison."""

from django.http import HttpResponse
from django.urls import include, path

BARE_HTML = {"body": b""}


def bare(request):
    return HttpResponse(BARE_HTML["body"])


urlpatterns = [path("bench/bare/", bare), path("", include("lms.urls"))]
