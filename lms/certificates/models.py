"""Certificates: what was certified, as issued, and the ZIP archives of a run's certificates.

A certificate is a snapshot: the name, course, dates, place and hours it was issued with, and the
SHA-256 of the PDF that was stored, so it stays what it was whatever happens to the run or the
person later. It is never edited or deleted: it is revoked (with a reason), and a re-issued
certificate points to the one it replaces. Every change goes through `services.py`.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

# Crockford's base 32: no I, L, O or U, so a code can be read aloud and typed without confusion.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_BYTES = 20  # 160 bits of randomness
CODE_CHARACTERS = CODE_BYTES * 8 // 5  # 32 characters, printed in eight groups of four
CODE_GROUP = 4
CODE_LENGTH = CODE_CHARACTERS + CODE_CHARACTERS // CODE_GROUP - 1
# What people mistype for Crockford's letters: read I and L as 1, O as 0.
_CODE_READING = str.maketrans({"I": "1", "L": "1", "O": "0"})


def _group(characters):
    return "-".join(characters[i : i + CODE_GROUP] for i in range(0, len(characters), CODE_GROUP))


def new_code():
    number = int.from_bytes(secrets.token_bytes(CODE_BYTES), "big")
    characters = "".join(
        CODE_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CODE_CHARACTERS))
    )
    return _group(characters)


def normalise_code(text):
    """A code as typed (any case, spaces or hyphens anywhere, I/L for 1, O for 0) in its printed
    form, or None if it cannot be a certificate code."""
    characters = "".join((text or "").upper().split()).replace("-", "").translate(_CODE_READING)
    if len(characters) != CODE_CHARACTERS or any(c not in CODE_ALPHABET for c in characters):
        return None
    return _group(characters)


def certificate_path(instance, filename):
    # Not derived from the code or the person: knowing a code does not find the file.
    return f"certificates/{secrets.token_hex(16)}.pdf"


def archive_path(instance, filename):
    return f"certificates/archives/{secrets.token_hex(16)}.zip"


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)

    def revoked(self):
        return self.filter(revoked_at__isnull=False)


class Certificate(models.Model):
    wagtail_reference_index_ignore = True  # holds no page reference: no index rows per save

    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.PROTECT, related_name="certificates"
    )
    code = models.CharField(max_length=CODE_LENGTH, unique=True, editable=False)

    # What was certified, as it was when issued.
    name = models.CharField(max_length=150)
    course = models.CharField(max_length=255)
    run_title = models.CharField("run", max_length=150)
    dates = models.CharField(max_length=120)
    place = models.CharField(max_length=300)
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    issuer = models.CharField("issued by (body)", max_length=200)

    pdf = models.FileField(upload_to=certificate_path, editable=False)
    sha256 = models.CharField("SHA-256 of the PDF", max_length=64, editable=False)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text="The certificate this one was re-issued in place of.",
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(revoked_at__isnull=True),
                name="one_valid_certificate_per_booking",
            )
        ]

    def __str__(self):
        return f"{self.code} ({self.name}, {self.course})"

    @property
    def is_valid(self):
        return self.revoked_at is None

    @property
    def status(self):
        return "Valid" if self.is_valid else "Revoked"


class ArchiveStatus(models.TextChoices):
    WAITING = "waiting", "Waiting to start"
    BUILDING = "building", "Building"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"


class CertificateArchive(models.Model):
    """A ZIP of a run's valid certificates, built by a background task that counts as it goes."""

    wagtail_reference_index_ignore = True  # holds no page reference: no index rows per save

    run = models.ForeignKey(
        "bookings.Run", on_delete=models.CASCADE, related_name="certificate_archives"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ArchiveStatus.choices, default=ArchiveStatus.WAITING
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=archive_path, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "certificate ZIP"

    def __str__(self):
        return f"Certificates of {self.run} ({self.get_status_display().lower()})"

    @property
    def in_progress(self):
        return self.status in (ArchiveStatus.WAITING, ArchiveStatus.BUILDING)
