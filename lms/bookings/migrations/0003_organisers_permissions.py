"""Organisers run the programme: runs, sessions, venues and bookings (bookings change only
through the booking service's actions)."""

from django.db import migrations

from lms.accounts.organisers import organiser_permissions

CODENAMES = [
    "add_run", "change_run", "view_run",
    "add_session", "change_session", "delete_session", "view_session",
    "add_venue", "change_venue", "view_venue",
    "view_booking", "change_booking",
    "add_bookablepage", "change_bookablepage",
]


grant, revoke = organiser_permissions("bookings", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0002_calendar_feed"),
        ("accounts", "0002_organisers_group"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
