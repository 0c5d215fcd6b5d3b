"""Benchmark: certificate PDFs per second on one core, and the time to build a run's ZIP of
1,000 certificates.

    .venv/bin/python bench/certificates.py            # SQLite
    DATABASE_URL=postgres://... .venv/bin/python bench/certificates.py

Pins itself to one CPU core, builds a throwaway test database and writes files to a temporary
media folder. Reports:
- rendering alone (`pdf.render`): PDFs per second and median milliseconds a PDF;
- issuing (`services.issue_all`: one eligibility query, render, SHA-256, file written, rows
  inserted 100 at a time) and its rate as a share of rendering alone (same run);
- the background ZIP task over the 1,000 stored PDFs, and the ZIP's size.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
os.environ.setdefault(
    "LMS_TEST_DB", str(Path(tempfile.gettempdir()) / "bench-certificates.sqlite3")
)

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402

RENDERS = 500
CERTIFICATES = 1000


def render_rate():
    from decimal import Decimal

    from lms.certificates import pdf
    from lms.certificates.models import Certificate, new_code

    def one():
        return Certificate(
            code=new_code(),
            name="Councillor Samantha Jones-Patel",
            course="Data and digital transformation",
            run_title="Manchester",
            dates="Friday 24 January 2020",
            place="Manchester Town Hall, Manchester",
            hours=Decimal("6.0"),
            issuer="Council skills programme",
        )

    pdf.render(one())  # warm up
    certificates = [one() for _ in range(RENDERS)]
    times = []
    start = time.perf_counter()
    for certificate in certificates:
        began = time.perf_counter()
        pdf.render(certificate)
        times.append(time.perf_counter() - began)
    elapsed = time.perf_counter() - start
    return RENDERS / elapsed, statistics.median(times) * 1000


def completed_run():
    from lms.bookings import services as bookings
    from lms.bookings.attendance import mark
    from lms.bookings.models import AttendanceStatus
    from tests import factories

    run = factories.run(capacity=CERTIFICATES)
    session = run.sessions.get()
    for _ in range(CERTIFICATES):
        mark(bookings.book(factories.person(), run).booking, session, AttendanceStatus.ATTENDED)
    return run


def main():
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            from lms.certificates import services
            from lms.certificates.models import CertificateArchive
            from lms.certificates.tasks import write_archive

            per_second, median_ms = render_rate()
            run = completed_run()
            ids = list(services.eligible(run).values_list("pk", flat=True))
            start = time.perf_counter()
            issued = services.issue_all(run, ids)
            issue_seconds = time.perf_counter() - start
            assert len(issued) == CERTIFICATES

            archive = CertificateArchive.objects.create(run=run, total=CERTIFICATES)
            start = time.perf_counter()
            write_archive.call(archive.pk)
            zip_seconds = time.perf_counter() - start
            archive.refresh_from_db()
            assert archive.status == "done" and archive.done == CERTIFICATES, archive.error
            zip_mb = archive.file.size / 1_000_000

        print(f"database: {connection.vendor}; one core")
        print(f"render only: {per_second:.0f} PDFs/s ({median_ms:.1f} ms median, {RENDERS} PDFs)")
        print(
            f"issue {CERTIFICATES}: {issue_seconds:.1f} s ({CERTIFICATES / issue_seconds:.0f} certificates/s)"
        )
        print(f"issuing / rendering alone: {CERTIFICATES / issue_seconds / per_second:.2f}")
        print(f"ZIP of {CERTIFICATES}: {zip_seconds:.2f} s, {zip_mb:.1f} MB")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
