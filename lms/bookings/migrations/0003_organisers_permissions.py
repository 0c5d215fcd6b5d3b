"""Organisers run the programme: runs, sessions, venues and bookings (bookings change only
through the booking service's actions)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "add_run", "change_run", "view_run",
    "add_session", "change_session", "delete_session", "view_session",
    "add_venue", "change_venue", "view_venue",
    "view_booking", "change_booking",
    "add_bookablepage", "change_bookablepage",
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Organisers")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="bookings", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Organisers"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="bookings", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0002_calendar_feed"),
        ("accounts", "0002_organisers_group"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
