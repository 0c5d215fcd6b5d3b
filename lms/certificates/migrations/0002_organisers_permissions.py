"""Organisers issue, revoke and re-issue certificates and build a run's ZIP (certificates change
only through the certificate services; nobody deletes one)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "view_certificate", "add_certificate", "change_certificate",
    "view_certificatearchive", "add_certificatearchive",
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
        *Permission.objects.filter(content_type__app_label="certificates", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Organisers"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="certificates", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("accounts", "0002_organisers_group"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
