"""People and the council directory.

A person signs in with their email address. What the programme needs to know about them to count
them in the board's figures (role, council or organisation, job title) sits on the user itself: it
is read with every booking and report, and a separate one-to-one profile would only add a join.
"""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone


class CouncilType(models.TextChoices):
    COUNTY = "county", "County council"
    DISTRICT = "district", "Shire district"
    METROPOLITAN = "metropolitan", "Metropolitan borough"
    UNITARY = "unitary", "Unitary authority"
    LONDON_BOROUGH = "london_borough", "London borough"
    CITY_OF_LONDON = "city_of_london", "City of London"


class Region(models.TextChoices):
    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire", "Yorkshire and The Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"


class CouncilQuerySet(models.QuerySet):
    def current(self):
        """Councils that still exist (the source marks a council past by giving it an end date)."""
        return self.filter(end_date__isnull=True)

    def past(self):
        return self.filter(end_date__isnull=False)

    def existing_on(self, day):
        """Councils that existed on a given day, for historical figures."""
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=day),
            Q(end_date__isnull=True) | Q(end_date__gte=day),
        )


class Council(models.Model):
    """An English council people can belong to, past or present (ONS-coded)."""

    code = models.CharField(
        "code",
        max_length=4,
        unique=True,
        help_text="mySociety's stable three- or four-letter code.",
    )
    name = models.CharField("short name", max_length=100, help_text="For example “Manchester”.")
    official_name = models.CharField(max_length=200)
    gss_code = models.CharField("ONS code", max_length=9, unique=True)
    type = models.CharField(max_length=20, choices=CouncilType.choices)
    region = models.CharField(max_length=20, choices=Region.choices)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(
        null=True, blank=True, help_text="Last day the council existed; empty if it still does."
    )
    replaced_by = models.CharField(
        max_length=100, blank=True, help_text="Codes of the councils that took over, if any."
    )
    # The same as `replaced_by`, as rows the database can join on (two councils were split
    # between two successors, so it is many-to-many). Kept in step by the council loader.
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        help_text="The councils that took over, if any.",
    )
    alt_names = models.TextField(blank=True, help_text="Other names, for searching.")

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.official_name

    @property
    def is_current(self):
        return self.end_date is None


class Role(models.TextChoices):
    COUNCILLOR = "councillor", "Councillor"
    OFFICER = "officer", "Council officer"
    OTHER = "other", "Other"


ROLES_WITH_COUNCIL = {Role.COUNCILLOR, Role.OFFICER}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    @classmethod
    def normalize_email(cls, email):
        return (email or "").strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text="For councillors and council officers.",
    )
    organisation = models.CharField(
        "organisation", max_length=200, blank=True, help_text="For people who are not at a council."
    )
    job_title = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(
        "staff status", default=False, help_text="Programme staff (organisers)."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "people"
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = UserManager.normalize_email(self.email)

    def save(self, *args, **kwargs):
        # One person, one address, whatever the capitals: the unique index sees the normal form.
        self.email = UserManager.normalize_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def organisation_name(self):
        """Where this person works: their council's name, or the organisation they gave."""
        if self.council_id:
            return self.council.official_name
        return self.organisation
