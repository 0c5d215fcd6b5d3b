"""Runs, sessions and bookings.

A run is one dated, bookable instance of a course page (the Manchester masterclass on 24 January;
officer cohort 3 in London). It knows its page only as a Wagtail `Page`, so this app never imports
the course, event or podcast apps. Sessions are the sittings where attendance is taken. A booking
is one person's place on a run; every change to a booking goes through `services.py`.
"""

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from lms.accounts.models import Region
from lms.core.time import day

# Crockford's base-32 letters without I, L, O and U: easy to read aloud and type.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class Venue(index.Indexed, models.Model):
    name = models.CharField(max_length=200)
    address = models.TextField()
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=20, choices=Region.choices)
    access_information = models.TextField(
        blank=True, help_text="Step-free access, hearing loops, parking, nearest station."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("city"),
        FieldPanel("region"),
        FieldPanel("access_information"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("city"),
        index.AutocompleteField("name"),
        index.AutocompleteField("city"),
    ]

    class Meta:
        ordering = ["city", "name"]

    def __str__(self):
        return f"{self.name}, {self.city}"

    def address_lines(self):
        """The address as it is written on an envelope: its lines, then the city (unless the
        address already ends with it)."""
        lines = [line.strip(" ,") for line in self.address.splitlines() if line.strip(" ,")]
        if self.city and not (lines and lines[-1].casefold().startswith(self.city.casefold())):
            lines.append(self.city)
        return lines

    @property
    def map_url(self):
        """OpenStreetMap's search for the venue: no account, no tracking, any device."""
        query = ", ".join([self.name, *self.address_lines()])
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})


class Audience(models.TextChoices):
    ANYONE = "anyone", "Anyone"
    COUNCILLORS = "councillors", "Councillors only"
    OFFICERS = "officers", "Council officers only"
    ALUMNI = "alumni", "Alumni of a course only"


class BookingMode(models.TextChoices):
    FIRST_COME = "first_come", "First come, first served, with a waiting list"
    APPROVAL = "approval", "Application approved by an organiser"


class WaitlistOrder(models.TextChoices):
    FIRST_COME = "first_come", "First come, first served"
    NEW_COUNCILS_FIRST = "new_councils_first", "Councils this course has not reached go first"


class WhenPlaceFrees(models.TextChoices):
    OFFER = "offer", "Offer it to the next person, who confirms"
    CONFIRM = "confirm", "Confirm the next person straight away"


class CompletionRule(models.TextChoices):
    ALL = "all", "Every session"
    AT_LEAST = "at_least", "At least a number of sessions"


class RunStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class RunPhase(models.TextChoices):
    """Where a run stands, as organisers read it: derived from its status and its dates."""

    UPCOMING = "upcoming", "Upcoming"
    RUNNING = "running", "Running"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


def _session_count(run):
    """The number of sessions of `run` (an outer reference), as an expression."""
    return Coalesce(
        models.Subquery(
            Session.objects.filter(run=run)
            .order_by()
            .values("run")
            .annotate(n=models.Count("pk"))
            .values("n")[:1],
            output_field=models.IntegerField(),
        ),
        0,
    )


def sessions_required(total, run=""):
    """The completion rule, written once: how many sessions a person must be present at
    (attended or late) to complete a run, as an expression over the run's fields (`run` is the
    path to the run: "" on a run, "run__" on a booking) and `total`, the run's session count.

    All of them, unless the run asks for at least N: then N, or all when N is more than the run
    has. A minimum of none (0) gives NULL: nobody completes. Every place that says who completed
    (`BookingQuerySet.with_completion`, `RunQuerySet.sessions_to_complete` and through it the
    figures) derives from this."""
    return models.Case(
        models.When(
            Q(
                **{
                    f"{run}completion_rule": CompletionRule.AT_LEAST,
                    f"{run}completion_min_sessions__isnull": False,
                }
            ),
            then=models.Case(
                models.When(
                    Q(**{f"{run}completion_min_sessions__gt": 0}),
                    then=Least(
                        models.F(f"{run}completion_min_sessions"),
                        total,
                        output_field=models.IntegerField(),
                    ),
                ),
                default=models.Value(None),
                output_field=models.IntegerField(),
            ),
        ),
        default=total,
        output_field=models.IntegerField(),
    )


def _bookings_count(condition):
    """How many of the outer run's bookings meet `condition`, as a correlated subquery."""
    counted = (
        Booking.objects.filter(condition, run=OuterRef("pk"))
        .order_by()
        .values("run")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(counted), 0)


class RunQuerySet(models.QuerySet):
    @staticmethod
    def sessions_to_complete():
        """`BookingQuerySet.with_completion`'s rule as one expression on a run, for aggregates
        over many bookings: a confirmed booking on the run has completed it when its
        `sessions_present()` reaches this. It reads the run's session count once rather than
        two or three times. A run's required sessions are its minimum when that is fewer than
        its sessions, else all of them. A minimum of none gives NULL, and nobody completes; a
        run with no sessions asks for one, which nobody can be present at. Presence counts only
        ever come from the run's own sessions, so the least number required can be written as
        at least one."""
        all_sessions = Greatest(
            _session_count(models.OuterRef("pk")),
            models.Value(1),
            output_field=models.IntegerField(),
        )
        return sessions_required(all_sessions)

    def scheduled(self):
        """Runs going ahead and open to people: not cancelled, not a draft."""
        return self.filter(status=RunStatus.SCHEDULED, draft=False)

    def upcoming(self, now=None):
        now = now or timezone.now()
        return self.scheduled().filter(starts_at__gte=now)

    def in_phase(self, phase, now=None):
        """The runs in a `RunPhase` at `now` (see `Run.phase`)."""
        now = now or timezone.now()
        if phase == RunPhase.CANCELLED:
            return self.filter(status=RunStatus.CANCELLED)
        going_ahead = self.scheduled()
        if phase == RunPhase.UPCOMING:
            return going_ahead.filter(Q(starts_at__gt=now) | Q(starts_at__isnull=True))
        if phase == RunPhase.RUNNING:
            return going_ahead.filter(starts_at__lte=now, ends_at__gt=now)
        if phase == RunPhase.HELD:
            return going_ahead.filter(ends_at__lte=now)
        raise ValueError(f"Unknown phase {phase!r}")

    def with_places(self):
        """Annotate `taken` (confirmed or offered places) and `waiting` (the waiting list) in the
        same query; `Run.places_taken` reads `taken` when it is there. Each is counted for the
        rows the query returns (a subquery per row, on the run and status index), so a page of 20
        of 10,000 upcoming runs counts the bookings of those 20, and counting the rows (the
        paginator) counts no bookings at all."""
        return self.annotate(
            taken=_bookings_count(Q(status__in=PLACE_HOLDING_STATUSES)),
            waiting=_bookings_count(Q(status=BookingStatus.WAITLISTED)),
        )

    def for_listing(self):
        """Upcoming runs with everything a listing shows, in a fixed number of queries."""
        return (
            self.upcoming()
            .select_related("page", "page__theme", "venue", "alumni_of")
            .prefetch_related("sessions")
            .with_places()
            .order_by("starts_at", "pk")
        )


class Run(ClusterableModel):
    """Edited with its sessions inline in the admin (hence ClusterableModel); every change is
    made by the services in runs.py, never by saving the editor's form."""

    page = models.ForeignKey(
        "bookings.BookablePage",
        on_delete=models.PROTECT,
        related_name="runs",
        help_text="The course or event page this run belongs to.",
    )
    title = models.CharField(
        max_length=150,
        help_text="What tells this run apart, for example “Manchester” or “Cohort 3”.",
    )
    reference_prefix = models.CharField(
        max_length=4,
        default="BK",
        help_text="Starts every booking reference on this run, for example MC for masterclasses.",
    )
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, null=True, blank=True)
    online = models.BooleanField(default=False, help_text="Held online (no venue).")
    joining_details = models.TextField(
        blank=True,
        help_text="For online runs: the meeting link and any meeting ID, passcode or dial-in "
        "number. Sent to people with a place in the reminder before the first session and in "
        "every booking email after it; changed after that, they are sent again to everyone "
        "with a place. Never shown on the site.",
    )
    # The first session's start and the last session's end, kept in step by services.
    starts_at = models.DateTimeField(null=True, blank=True, editable=False)
    ends_at = models.DateTimeField(null=True, blank=True, editable=False)

    capacity = models.PositiveIntegerField()
    per_council_cap = models.PositiveIntegerField(
        null=True, blank=True, help_text="Most places one council may hold. Empty for no limit."
    )
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.ANYONE)
    alumni_of = models.ForeignKey(
        "bookings.BookablePage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For alumni-only runs: people who completed a run of this course may book.",
    )
    booking_mode = models.CharField(
        max_length=20, choices=BookingMode.choices, default=BookingMode.FIRST_COME
    )
    waitlist_order = models.CharField(
        max_length=30, choices=WaitlistOrder.choices, default=WaitlistOrder.FIRST_COME
    )
    when_place_frees = models.CharField(
        max_length=10, choices=WhenPlaceFrees.choices, default=WhenPlaceFrees.OFFER
    )
    offer_hold_hours = models.PositiveIntegerField(
        default=48, help_text="How long an offered place is held before it goes to the next person."
    )
    booking_opens = models.DateTimeField(null=True, blank=True)
    booking_closes = models.DateTimeField(
        null=True, blank=True, help_text="Empty: booking closes when the run starts."
    )
    cancellation_cutoff = models.DateTimeField(
        null=True,
        blank=True,
        help_text="People can cancel until then. Empty: until the run starts.",
    )
    completion_rule = models.CharField(
        max_length=10,
        choices=CompletionRule.choices,
        default=CompletionRule.ALL,
        help_text="Who has completed the run: people who attended every session, or at least a number of them.",
    )
    completion_min_sessions = models.PositiveIntegerField(
        "sessions needed to complete",
        null=True,
        blank=True,
        help_text="For “at least a number of sessions”: how many (attended or late).",
    )
    learning_hours = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Hours of learning shown on certificates. Empty: the sessions' total length.",
    )
    certificate_requires_survey = models.BooleanField(
        "certificate only after the survey",
        default=False,
        help_text="Issue certificates only to people who have answered the satisfaction survey.",
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.SCHEDULED)
    cancellation_message = models.TextField(blank=True)
    # A copied run is a draft until an organiser publishes it (`copying.publish_run`): nobody sees
    # it on What's on, the course page or the calendar feeds, and nobody can book it.
    draft = models.BooleanField(
        default=False,
        editable=False,
        help_text="A draft is hidden from the site and cannot be booked until it is published.",
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="copies",
        help_text="The run this one was copied from.",
    )

    # Calendar identity: the UID never changes; SEQUENCE rises with every change of time or place.
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return f"{self.page.title}: {self.title}"

    def refresh_dates(self):
        """Keep starts_at/ends_at (used to list, sort and close runs) in step with the sessions.
        The run services (runs.py) call this; save() and delete() change nothing but their row."""
        dates = self.sessions.aggregate(first=models.Min("starts_at"), last=models.Max("ends_at"))
        Run.objects.filter(pk=self.pk).update(starts_at=dates["first"], ends_at=dates["last"])
        self.starts_at, self.ends_at = dates["first"], dates["last"]

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.completion_rule == CompletionRule.AT_LEAST:
            if not self.completion_min_sessions:
                raise ValidationError(
                    {
                        "completion_min_sessions": "Say how many sessions a person must attend to complete."
                    }
                )
            if self.pk and self.completion_min_sessions > self.sessions.count():
                raise ValidationError(
                    {
                        "completion_min_sessions": f"This run has only {self.sessions.count()} sessions."
                    }
                )

    def hours(self):
        """Hours of learning: as set, or the total length of the sessions."""
        if self.learning_hours is not None:
            return self.learning_hours
        total = sum(((s.ends_at - s.starts_at).total_seconds() for s in self.sessions.all()), 0.0)
        return round(total / 3600, 1)

    @property
    def place_description(self):
        if self.online or not self.venue_id:
            return "Online"
        return str(self.venue)

    def phase(self, now=None):
        """Upcoming (before its first session, or with none yet), running (from the start of its
        first session to the end of its last), held (after) or cancelled."""
        now = now or timezone.now()
        if self.status == RunStatus.CANCELLED:
            return RunPhase.CANCELLED
        if self.starts_at is None or now < self.starts_at:
            return RunPhase.UPCOMING
        if self.ends_at and now < self.ends_at:
            return RunPhase.RUNNING
        return RunPhase.HELD

    @property
    def phase_label(self):
        return self.phase().label

    @property
    def is_cancelled(self):
        return self.status == RunStatus.CANCELLED

    def closes_at(self):
        return self.booking_closes or self.starts_at

    def cancellable_until(self):
        return self.cancellation_cutoff or self.starts_at

    def joining_details_released_at(self):
        """When an online run's joining details go out: with the reminder, a set number of days
        (settings.BOOKING_REMINDER_DAYS) before the first session. None without sessions."""
        if self.starts_at is None:
            return None
        return self.starts_at - timedelta(days=settings.BOOKING_REMINDER_DAYS)

    def joining_details_released(self, now=None):
        released_at = self.joining_details_released_at()
        return released_at is not None and (now or timezone.now()) >= released_at

    @cached_property
    def places_taken(self):
        # Listings annotate `taken` in their one query; otherwise count.
        if hasattr(self, "taken"):
            return self.taken
        return self.bookings.holding_place().count()

    @property
    def is_full(self):
        return self.places_left == 0

    def booking_state(self, now=None):
        """ "open", "not_open_yet" or "closed", for listings."""
        now = now or timezone.now()
        if self.status == RunStatus.CANCELLED or not self.starts_at or now >= self.closes_at():
            return "closed"
        if self.draft:
            return "not_open_yet"
        if self.booking_opens and now < self.booking_opens:
            return "not_open_yet"
        return "open"

    @property
    def places_left(self):
        return max(self.capacity - self.places_taken, 0)


class Session(models.Model):
    run = ParentalKey(Run, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(
        max_length=150, blank=True, help_text="For example “Module 2: Negotiation”."
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    panels = [FieldPanel("title"), FieldPanel("starts_at"), FieldPanel("ends_at")]

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_it_starts"
            )
        ]

    def __str__(self):
        return self.title or day(self.starts_at)


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", "Application received"
    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "On the waiting list"
    OFFERED = "offered", "Place offered"
    DECLINED = "declined", "Application declined"
    CANCELLED = "cancelled", "Cancelled"


class CancelReason(models.TextChoices):
    BY_PERSON = "by_person", "Cancelled by the person"
    BY_ORGANISER = "by_organiser", "Cancelled by an organiser"
    OFFER_EXPIRED = "offer_expired", "Offer not taken up in time"
    RUN_CANCELLED = "run_cancelled", "The run was cancelled"
    MOVED = "moved", "Moved to another run"


# A person holds at most one booking in these states on a run.
ACTIVE_STATUSES = [
    BookingStatus.REQUESTED,
    BookingStatus.CONFIRMED,
    BookingStatus.WAITLISTED,
    BookingStatus.OFFERED,
]
# These take one of the run's places.
PLACE_HOLDING_STATUSES = [BookingStatus.CONFIRMED, BookingStatus.OFFERED]


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def holding_place(self):
        return self.filter(status__in=PLACE_HOLDING_STATUSES)

    def waitlisted(self):
        return self.filter(status=BookingStatus.WAITLISTED)

    @staticmethod
    def sessions_total():
        """The number of sessions of a booking's run, as an expression on a booking."""
        return _session_count(models.OuterRef("run"))

    @staticmethod
    def sessions_present():
        """The number of sessions a booking was present at (attended or late), as an expression."""
        return Coalesce(
            models.Subquery(
                Attendance.objects.filter(
                    booking=models.OuterRef("pk"), status__in=PRESENT_STATUSES
                )
                .order_by()
                .values("booking")
                .annotate(n=models.Count("pk"))
                .values("n")[:1],
                output_field=models.IntegerField(),
            ),
            0,
        )

    def with_completion(self):
        """Annotate `sessions_attended`, `sessions_total`, `sessions_required` and `completed`.

        Completion is derived from attendance every time, never stored: a confirmed booking has
        completed its run when it was present (attended or late) at every session, or at least
        at the run's minimum number of them.
        """
        total = self.sessions_total()
        required = sessions_required(total, run="run__")
        return self.annotate(
            sessions_total=total,
            sessions_attended=self.sessions_present(),
            sessions_required=required,
        ).annotate(
            completed=models.Case(
                models.When(
                    Q(status=BookingStatus.CONFIRMED, sessions_required__gt=0)
                    & Q(sessions_attended__gte=models.F("sessions_required")),
                    then=models.Value(True),
                ),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def completed(self):
        return self.with_completion().filter(completed=True)


def new_checkin_token():
    return secrets.token_urlsafe(16)  # 128 bits: the QR code on a booking


def new_reference(prefix):
    return f"{prefix}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))


class Booking(models.Model):
    wagtail_reference_index_ignore = True  # holds no page reference: no index rows per save

    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    reference = models.CharField(max_length=12, unique=True)
    checkin_token = models.CharField(
        max_length=32,
        unique=True,
        default=new_checkin_token,
        editable=False,
        help_text="What the booking's QR code carries: the organiser scans it to mark attendance.",
    )
    status = models.CharField(max_length=12, choices=BookingStatus.choices)
    needs = models.TextField("access or dietary needs", blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=20, choices=CancelReason.choices, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "person"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_booking_per_person_per_run",
            )
        ]
        indexes = [models.Index(fields=["run", "status"])]

    def __str__(self):
        return f"{self.reference} ({self.get_status_display()})"

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    def history(self):
        """Every change of this booking, one line each, oldest first (the bookings export)."""
        return "\n".join(event.summary() for event in self.events.all())

    def completion(self):
        """This booking's progress: sessions attended of those required, and whether complete."""
        if not hasattr(self, "completed"):
            row = (
                Booking.objects.with_completion()
                .filter(pk=self.pk)
                .values("sessions_total", "sessions_attended", "sessions_required", "completed")
                .get()
            )
            for name, value in row.items():
                setattr(self, name, value)
        return Completion(
            attended=self.sessions_attended,
            required=self.sessions_required,
            total=self.sessions_total,
            completed=self.completed,
        )


@dataclass(frozen=True)
class Completion:
    attended: int
    required: int
    total: int
    completed: bool

    @property
    def partial(self):
        return self.attended > 0 and not self.completed


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    LATE = "late", "Late"
    ABSENT = "absent", "Absent"
    EXCUSED = "excused", "Excused"


# Present at a session: these count towards completion.
PRESENT_STATUSES = [AttendanceStatus.ATTENDED, AttendanceStatus.LATE]


class AttendanceSource(models.TextChoices):
    REGISTER = "register", "Register"
    SCAN = "scan", "QR code scan"
    IMPORT = "import", "CSV import"
    BULK = "bulk", "Mark all remaining"


class Attendance(models.Model):
    """A booking's presence at one session. Changed only through `attendance.mark()`."""

    wagtail_reference_index_ignore = True  # holds no page reference: no index rows per save

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    marked_at = models.DateTimeField(default=timezone.now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["session__starts_at", "booking__person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "session"], name="one_attendance_per_session"
            )
        ]
        indexes = [models.Index(fields=["session", "status"])]
        verbose_name_plural = "attendance"

    def __str__(self):
        return f"{self.booking.reference} at {self.session}: {self.get_status_display()}"


class AttendanceChange(models.Model):
    """Who changed what and when: every mark, first or corrected, on the day or after."""

    wagtail_reference_index_ignore = True  # holds no page reference: no index rows per save

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendance_changes"
    )
    old_status = models.CharField(max_length=10, choices=AttendanceStatus.choices, blank=True)
    new_status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    source = models.CharField(max_length=10, choices=AttendanceSource.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.booking.reference}: {self.old_status or '—'} → {self.new_status}"


class Actor(models.TextChoices):
    PERSON = "person", "The person"
    ORGANISER = "organiser", "An organiser"
    SYSTEM = "system", "The system"
    UNRECORDED = "unrecorded", "Not recorded"


class BookingChange(models.TextChoices):
    BOOKED = "booked", "Booked"
    ADDED = "added", "Added by an organiser"
    APPROVED = "approved", "Application approved"
    DECLINED = "declined", "Application declined"
    OFFERED = "offered", "Place offered from the waiting list"
    PROMOTED = "promoted", "Place given from the waiting list"
    ACCEPTED = "accepted", "Offer accepted"
    OFFER_EXPIRED = "offer_expired", "Offer expired"
    CANCELLED = "cancelled", "Cancelled"
    RUN_CANCELLED = "run_cancelled", "Run cancelled"
    MOVED_AWAY = "moved_away", "Moved to another run"
    MOVED_HERE = "moved_here", "Moved from another run"
    BEFORE_HISTORY = "before_history", "Status when the history began"


class BookingEvent(models.Model):
    """One change of a booking's status: who made it, when, from what to what, and why.
    Written by the booking services (`history.record`) in the transaction that makes the change."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    change = models.CharField(max_length=20, choices=BookingChange.choices)
    from_status = models.CharField(max_length=12, choices=BookingStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=BookingStatus.choices)
    at = models.DateTimeField("when", default=timezone.now)
    actor = models.CharField("who", max_length=12, choices=Actor.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="changed by",
    )
    reason = models.TextField("why", blank=True)
    other_booking = models.ForeignKey(
        Booking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a move: the booking on the other run.",
    )

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["booking", "at"])]
        verbose_name = "booking history entry"
        verbose_name_plural = "booking history"

    def __str__(self):
        return f"{self.booking.reference}: {self.from_status or '—'} → {self.to_status}"

    @property
    def who(self):
        """In words: the organiser's or person's name, or the system."""
        if self.actor in (Actor.PERSON, Actor.ORGANISER) and self.by_id:
            return f"{self.get_actor_display()} ({self.by})"
        return self.get_actor_display()

    def summary(self):
        """One line, as the export writes it."""
        when = timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M")
        moved = f"{self.get_from_status_display()} → " if self.from_status else ""
        line = f"{when} {self.get_change_display()}: {moved}{self.get_to_status_display()}, by {self.who}"
        return f"{line}. {self.reason}" if self.reason else line


def new_feed_token():
    return secrets.token_urlsafe(24)  # 192 bits


class CalendarFeed(models.Model):
    """A person's private calendar feed of their own bookings, at a secret, revocable address."""

    wagtail_reference_index_ignore = True  # holds no page reference: no index rows per save

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Calendar feed for {self.person}"


from .pages import BookablePage  # noqa: E402,F401  (registers the page model with this app)
