"""Public verification of certificates, and a person's own certificate download."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from lms.core.client import client_address
from lms.core.files import send_file
from lms.core.ratelimit import retry_after

from .forms import VerifyForm
from .models import Certificate, normalise_code

NOT_FOUND = "No certificate has this code."
TOO_MANY = "Too many certificate look-ups from your address. Try again in a minute."
VERIFY_LIMIT = 30  # look-ups from one address (IPv6: one /64), then 429 until the minute ends
VERIFY_WINDOW = 60  # seconds


def _plain(text, status):
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def _look_up(request, code):
    """The certificate with this code, or why there is none: (None, status, message) with 429
    when this address has looked up too many, 404 when no certificate has the code."""
    address = client_address(request)
    if wait := retry_after("certificate-verify", address, limit=VERIFY_LIMIT, window=VERIFY_WINDOW):
        return None, 429, TOO_MANY, wait
    code = normalise_code(code)
    certificate = Certificate.objects.filter(code=code).first() if code else None
    if certificate is None:
        return None, 404, NOT_FOUND, None
    return certificate, 200, None, None


def _revoked_on(certificate):
    return timezone.localtime(certificate.revoked_at).date() if certificate.revoked_at else None


def verify_form(request):
    form = VerifyForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("certificates:verify", code=form.cleaned_data["code"])
    return TemplateResponse(request, "certificates/verify_form.html", {"form": form})


@never_cache
def verify(request, code):
    """The certificate's public page; for a code that finds none, the form again with the code as
    typed and the reason next to it (a malformed code gets the form's own explanation), under the
    same 404 or 429 status a script would read."""
    certificate, status, problem, wait = _look_up(request, code)
    if certificate is None:
        form = VerifyForm({"code": code})
        if form.is_valid():
            form.add_error("code", problem)
        response = TemplateResponse(
            request, "certificates/verify_form.html", {"form": form}, status=status
        )
        if wait:
            response["Retry-After"] = str(wait)
        return response
    return TemplateResponse(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "revoked_on": _revoked_on(certificate)},
    )


@never_cache
def verify_json(request, code):
    certificate, status, problem, wait = _look_up(request, code)
    if certificate is None:
        response = _plain(problem, status)
        if wait:
            response["Retry-After"] = str(wait)
        return response
    revoked_on = _revoked_on(certificate)
    return JsonResponse(
        {
            "name": certificate.name,
            "course": certificate.course,
            "date": certificate.dates,
            "status": "valid" if certificate.is_valid else "revoked",
            "revoked_on": revoked_on.isoformat() if revoked_on else None,
            "sha256": certificate.sha256,
        }
    )


@login_required
def download(request, code):
    """The stored PDF, to its owner while it is valid, or to organisers who may view certificates
    (revoked ones too). Anyone else gets the same 404 as for a code that does not exist, so the
    answer confirms nothing. The file itself is never public (`lms/core/files.py`)."""
    certificate = (
        Certificate.objects.select_related("booking").filter(code=normalise_code(code)).first()
    )
    if certificate is None:
        raise Http404(NOT_FOUND)
    is_owner = certificate.booking.person_id == request.user.pk and certificate.is_valid
    if not (is_owner or request.user.has_perm("certificates.view_certificate")):
        raise Http404(NOT_FOUND)
    return send_file(
        certificate.pdf,
        content_type="application/pdf",
        filename=f"certificate-{certificate.code}.pdf",
    )
