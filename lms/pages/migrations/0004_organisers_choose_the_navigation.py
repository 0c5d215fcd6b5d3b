"""Organisers choose the header's links (the Navigation setting), as they do the footer's.

Written out here rather than with lms.accounts.organisers, which this app may not import (the
two apps sit side by side in the import contracts); the group itself is accounts' 0002.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Organisers"
CODENAMES = ["change_navigation"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations have run: this one is needed now.
    app_config = apps.get_app_config("pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="pages", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="pages", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_theme_pages_and_navigation"),
        ("accounts", "0002_organisers_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
