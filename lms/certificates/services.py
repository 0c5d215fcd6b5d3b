"""Issuing, revoking and re-issuing certificates, and building a run's ZIP: views, admin pages
and tasks all call these.

A certificate is issued by the run's rule: to a confirmed booking that has completed the run by
attendance and, when the run says so, whose person has answered the survey. A booking holds at
most one valid certificate (a conditional unique constraint guards it under races).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from lms.bookings.models import Booking, Run
from lms.core.tasks import enqueue
from lms.core.time import day

from . import pdf
from .models import ArchiveStatus, Certificate, CertificateArchive, new_code

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_tasks.base import TaskResult

    from lms.accounts.models import User

DEFAULT_ISSUER = "Council skills programme"
REISSUED = "Re-issued"
ISSUE_BATCH = 100  # certificates written in one INSERT by issue_all (CERTIFICATE_ISSUE_BATCH)


class CertificateRefused(Exception):
    """The certificate cannot be issued or changed; the message says why, for the organiser."""


def _responded(bookings):
    from lms.surveys.services import responded  # the surveys app depends on bookings, not on us

    return responded(bookings)


def eligible(run: Run) -> QuerySet[Booking]:
    """The bookings of a run that should get a certificate now and have no valid one, by name."""
    bookings = (
        Booking.objects.filter(run=run)
        .completed()
        .filter(~Exists(Certificate.objects.valid().filter(booking=OuterRef("pk"))))
    )
    if run.certificate_requires_survey:
        bookings = _responded(bookings)
    return bookings.select_related("person").order_by("person__full_name", "pk")


def dates_text(run: Run) -> str:
    """ "Friday 24 January 2020", or the first and last day of a run over several days."""
    if run.starts_at is None:
        return ""
    first = timezone.localtime(run.starts_at).date()
    last = timezone.localtime(run.ends_at).date()
    if first == last:
        return day(first)
    return f"{day(first)} to {day(last)}"


def _refusal(booking):
    """Why this booking cannot be given a certificate now, or None."""
    who = booking.person.full_name or booking.reference
    if not booking.completion().completed:
        return f"{who} has not completed this run."
    if booking.certificates.valid().exists():
        return f"{who} already has a valid certificate for this run."
    if (
        booking.run.certificate_requires_survey
        and not _responded(Booking.objects.filter(pk=booking.pk)).exists()
    ):
        return f"{who} has not answered the survey, which this run asks for before a certificate."
    return None


def _snapshot(run: Run) -> dict:
    """What a certificate for this run records about the run, as it is now."""
    return {
        "course": run.page.title,
        "run_title": run.title,
        "dates": dates_text(run),
        "place": run.place_description,
        "hours": run.hours(),
        "issuer": getattr(settings, "CERTIFICATE_ISSUER", DEFAULT_ISSUER),
    }


def _rendered(certificate: Certificate) -> Certificate:
    """Render the certificate's PDF and store it with its SHA-256 (the row is not saved here)."""
    content = pdf.render(certificate)
    certificate.sha256 = hashlib.sha256(content).hexdigest()
    certificate.pdf.save("certificate.pdf", ContentFile(content), save=False)
    return certificate


def _save(certificate: Certificate) -> None:
    """Save one certificate, refusing it (and removing its PDF) when the booking was given a valid
    one meanwhile: the conditional unique constraint decides under races."""
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        certificate.pdf.delete(save=False)
        raise CertificateRefused(
            f"{certificate.name} already has a valid certificate for this run."
        ) from None


def issue(
    booking: Booking,
    by: User | None = None,
    now: datetime | None = None,
    replaces: Certificate | None = None,
) -> Certificate:
    """Issue a certificate to a booking that has completed its run: render and store the PDF with
    its SHA-256. Refuses a booking that has not completed, or that already has a valid one."""
    booking = Booking.objects.select_related("run__page", "run__venue", "person").get(pk=booking.pk)
    if refusal := _refusal(booking):
        raise CertificateRefused(refusal)
    certificate = _rendered(
        Certificate(
            booking=booking,
            code=new_code(),
            name=booking.person.full_name,
            issued_at=now or timezone.now(),
            issued_by=by,
            replaces=replaces,
            **_snapshot(booking.run),
        )
    )
    _save(certificate)
    return certificate


def issue_all(run: Run, booking_ids: Iterable[int], by: User | None = None) -> list[Certificate]:
    """The confirmed bulk issue: a certificate for each listed booking that is still eligible.
    Returns the certificates issued; anyone no longer eligible is left out.

    A conference issues a thousand at once, so the rule is checked once for the run (one query:
    `eligible`) rather than per booking, the run's details are read once, and the rows are
    written ISSUE_BATCH at a time in one INSERT each, each batch committed on its own: a worker
    stopped mid-way keeps the batches written, and the retry issues only the rest. A booking given a valid certificate by
    someone else meanwhile makes its batch's INSERT fail on the unique constraint: that batch
    is then saved one by one and the booking left out, as `issue` would refuse it."""
    run = Run.objects.select_related("page", "venue").get(pk=run.pk)
    snapshot = _snapshot(run)
    now = timezone.now()
    bookings = list(eligible(run).filter(pk__in=booking_ids))
    issued = []
    batch = getattr(settings, "CERTIFICATE_ISSUE_BATCH", ISSUE_BATCH)
    for first in range(0, len(bookings), batch):
        certificates = [
            _rendered(
                Certificate(
                    booking=booking,
                    code=new_code(),
                    name=booking.person.full_name,
                    issued_at=now,
                    issued_by=by,
                    **snapshot,
                )
            )
            for booking in bookings[first : first + batch]
        ]
        try:
            with transaction.atomic():
                issued += Certificate.objects.bulk_create(certificates)
        except IntegrityError:
            for certificate in certificates:
                certificate.pk = None
                try:
                    _save(certificate)
                except CertificateRefused:
                    continue  # issued meanwhile by someone else
                issued.append(certificate)
    return issued


def start_issue(run: Run, booking_ids: Iterable[int], by: User | None = None) -> TaskResult | None:
    """Issue certificates to the listed bookings in the background (queue "certificates").
    Returns the task's result: finished at once where tasks run inline, pending with a worker;
    None where it waits for the caller's transaction to commit."""
    return enqueue(
        "lms.certificates.tasks.issue_certificates",
        run.pk,
        list(booking_ids),
        by.pk if by else None,
    )


def revoke(
    certificate: Certificate, reason: str, by: User | None = None, now: datetime | None = None
) -> Certificate:
    """Revoke a valid certificate, saying why. Its verification page says revoked from then on."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateRefused("Say why the certificate is revoked.")
    updated = (
        Certificate.objects.valid()
        .filter(pk=certificate.pk)
        .update(revoked_at=now or timezone.now(), revoked_by=by, revoke_reason=reason)
    )
    if not updated:
        raise CertificateRefused(f"Certificate {certificate.code} is already revoked.")
    certificate.refresh_from_db()
    return certificate


def reissue(certificate: Certificate, by: User | None = None) -> Certificate:
    """Revoke a valid certificate ("Re-issued") and issue a new one, with a new code, from the
    person's and run's details as they are now."""
    with transaction.atomic():
        revoke(certificate, REISSUED, by=by)
        return issue(certificate.booking, by=by, replaces=certificate)


def certificates_for(person: User) -> QuerySet[Certificate]:
    """A person's certificates, valid and revoked, newest first."""
    return (
        Certificate.objects.filter(booking__person=person)
        .select_related("booking__run__page")
        .order_by("-issued_at", "-pk")
    )


def build_archive(run: Run, by: User | None = None) -> CertificateArchive:
    """Start building a ZIP of the run's valid certificates in the background (or return the one
    already being built). The archive row counts `done` of `total` as the task goes."""
    with transaction.atomic():
        current = CertificateArchive.objects.filter(
            run=run, status__in=[ArchiveStatus.WAITING, ArchiveStatus.BUILDING]
        ).first()
        if current:
            return current
        archive = CertificateArchive.objects.create(
            run=run,
            requested_by=by,
            total=Certificate.objects.valid().filter(booking__run=run).count(),
        )
        enqueue("lms.certificates.tasks.write_archive", archive.pk)
    return archive
