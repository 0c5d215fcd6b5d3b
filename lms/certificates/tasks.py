"""Background work for certificates (queue "certificates"): the ZIP of a run's certificates."""

import logging
import tempfile
import zipfile

from django.core.files import File
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from lms.core.tasks import task

from . import services
from .models import ArchiveStatus, Certificate, CertificateArchive

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 20  # certificates between updates of the archive's `done`


def _progress(archive, done):
    CertificateArchive.objects.filter(pk=archive.pk).update(done=done)


@task(queue_name="certificates")
def issue_certificates(run_id: int, booking_ids: list[int], by_id: int | None = None) -> int:
    """The confirmed bulk issue, off the request: rendering and storing a conference's thousand
    PDFs takes longer than a web request may. Returns how many were issued. Safe to run again
    (a worker died, the task was put back): whoever holds a valid certificate is left out."""
    from django.contrib.auth import get_user_model

    from lms.bookings.models import Run

    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    return len(services.issue_all(Run.objects.get(pk=run_id), booking_ids, by=by))


@task(queue_name="certificates")
def write_archive(archive_id: int):
    """Write the ZIP of a run's valid certificates (the stored PDFs, as issued), counting as it
    goes so the organiser's page can show progress."""
    archive = CertificateArchive.objects.select_related("run").get(pk=archive_id)
    certificates = list(
        Certificate.objects.valid().filter(booking__run=archive.run).order_by("name", "pk")
    )
    CertificateArchive.objects.filter(pk=archive.pk).update(
        status=ArchiveStatus.BUILDING, total=len(certificates), done=0
    )
    try:
        with tempfile.TemporaryFile() as spool:
            # PDFs are compressed already: storing them is as small and much faster.
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as zip_file:
                for done, certificate in enumerate(certificates, start=1):
                    with certificate.pdf.open("rb") as stored:
                        zip_file.writestr(
                            f"{slugify(certificate.name) or 'certificate'}-{certificate.code}.pdf",
                            stored.read(),
                        )
                    if done % PROGRESS_EVERY == 0:
                        _progress(archive, done)
            spool.seek(0)
            archive.file.save("certificates.zip", File(spool), save=False)
    except Exception as error:
        logger.exception("Certificate ZIP %s failed", archive.pk)
        CertificateArchive.objects.filter(pk=archive.pk).update(
            status=ArchiveStatus.FAILED, error=str(error), finished_at=timezone.now()
        )
        raise
    CertificateArchive.objects.filter(pk=archive.pk).update(
        status=ArchiveStatus.DONE,
        done=F("total"),
        file=archive.file.name,
        finished_at=timezone.now(),
    )
