"""Organisers take attendance: they mark, correct and read registers and their history."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_attendance", "change_attendance", "view_attendance", "view_attendancechange"]


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
    dependencies = [("bookings", "0004_attendance_and_completion")]
    operations = [migrations.RunPython(grant, revoke)]
