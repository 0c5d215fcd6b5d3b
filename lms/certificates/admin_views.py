"""Organisers' certificate pages: runs to issue for, a run's certificates (issue after a
confirmation that lists every name, revoke, re-issue) and the run's ZIP with its progress."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lms.bookings.models import Run
from lms.core.files import send_file
from lms.core.ids import parse_id

from . import services
from .forms import RevokeForm
from .models import ArchiveStatus, Certificate, CertificateArchive


def _require(request, codename):
    if not request.user.has_perm(f"certificates.{codename}"):
        raise PermissionDenied


def _plural(n, one, many):
    return f"1 {one}" if n == 1 else f"{n} {many}"


def runs(request):
    """Runs that have begun, newest first, with how many valid certificates each has."""
    _require(request, "view_certificate")
    queryset = (
        Run.objects.filter(starts_at__lte=timezone.now())
        .select_related("page", "venue")
        .annotate(
            issued=Count(
                "bookings__certificates", filter=Q(bookings__certificates__revoked_at__isnull=True)
            )
        )
        .order_by("-starts_at", "-pk")
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "certificates/admin/runs.html",
        {"runs": page, "page_title": "Certificates by run", "header_title": "Certificates by run"},
    )


def run_certificates(request, pk):
    _require(request, "view_certificate")
    run = get_object_or_404(Run.objects.select_related("page", "venue"), pk=pk)
    return TemplateResponse(
        request,
        "certificates/admin/run.html",
        {
            "run": run,
            "eligible": services.eligible(run),
            "certificates": Certificate.objects.filter(booking__run=run)
            .select_related("booking", "revoked_by")
            .order_by("name", "-issued_at"),
            "archive": run.certificate_archives.first(),
            "can_issue": request.user.has_perm("certificates.add_certificate"),
            "can_change": request.user.has_perm("certificates.change_certificate"),
            "can_archive": request.user.has_perm("certificates.add_certificatearchive"),
            "page_title": f"Certificates: {run}",
            "header_title": f"Certificates: {run}",
        },
    )


def confirm_issue(request, pk):
    """GET lists every person who would get a certificate; only the POST from that page issues,
    and only to the people it listed who are still eligible."""
    _require(request, "add_certificate")
    run = get_object_or_404(Run.objects.select_related("page"), pk=pk)
    if request.method == "POST":
        # Anything but a booking's id is a tampered form, and left out.
        wanted = [n for n in map(parse_id, request.POST.getlist("booking")) if n is not None]
        result = services.start_issue(run, wanted, by=request.user)
        if result is None or not result.is_finished:
            messages.success(
                request,
                f"Issuing {_plural(len(wanted), 'certificate', 'certificates')} in the background: "
                "they appear below as they are made.",
            )
        elif result.status == "SUCCESSFUL":
            issued = result.return_value
            messages.success(request, f"{_plural(issued, 'certificate', 'certificates')} issued.")
            if issued < len(wanted):
                left = len(wanted) - issued
                messages.warning(
                    request,
                    f"{_plural(left, 'person was', 'people were')} no longer eligible and got none.",
                )
        else:
            messages.error(
                request, "Issuing the certificates failed; nothing more was issued. Try again."
            )
        return redirect("certificates_run", pk=run.pk)
    eligible = list(services.eligible(run))
    return TemplateResponse(
        request,
        "certificates/admin/confirm_issue.html",
        {
            "run": run,
            "eligible": eligible,
            "page_title": f"Issue certificates: {run}",
            "header_title": f"Issue {_plural(len(eligible), 'certificate', 'certificates')}?",
        },
    )


def revoke(request, pk):
    _require(request, "change_certificate")
    certificate = get_object_or_404(Certificate.objects.select_related("booking__run__page"), pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke(certificate, form.cleaned_data["reason"], by=request.user)
            messages.success(
                request, f"Certificate {certificate.code} ({certificate.name}) revoked."
            )
        except services.CertificateRefused as refusal:
            messages.error(request, str(refusal))
        return redirect("certificates_run", pk=certificate.booking.run_id)
    return TemplateResponse(
        request,
        "certificates/admin/revoke.html",
        {
            "certificate": certificate,
            "form": form,
            "page_title": f"Revoke certificate {certificate.code}",
            "header_title": f"Revoke {certificate.name}'s certificate",
        },
    )


@require_POST
def reissue(request, pk):
    _require(request, "add_certificate")
    _require(request, "change_certificate")
    certificate = get_object_or_404(Certificate.objects.select_related("booking"), pk=pk)
    try:
        new = services.reissue(certificate, by=request.user)
        messages.success(
            request,
            f"Re-issued to {new.name} with the new code {new.code}; {certificate.code} is revoked.",
        )
    except services.CertificateRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("certificates_run", pk=certificate.booking.run_id)


@require_POST
def start_archive(request, pk):
    _require(request, "add_certificatearchive")
    run = get_object_or_404(Run, pk=pk)
    archive = services.build_archive(run, by=request.user)
    return redirect("certificates_archive", pk=archive.pk)


def archive(request, pk):
    _require(request, "view_certificatearchive")
    archive = get_object_or_404(CertificateArchive.objects.select_related("run__page"), pk=pk)
    return TemplateResponse(
        request,
        "certificates/admin/archive.html",
        {
            "archive": archive,
            "page_title": f"ZIP of certificates: {archive.run}",
            "header_title": f"ZIP of certificates: {archive.run}",
        },
    )


def download_archive(request, pk):
    _require(request, "view_certificatearchive")
    archive = get_object_or_404(CertificateArchive.objects.select_related("run"), pk=pk)
    if archive.status != ArchiveStatus.DONE:
        raise Http404("This ZIP is not ready.")
    return send_file(
        archive.file,
        content_type="application/zip",
        filename=f"certificates-run-{archive.run_id}.zip",
    )
