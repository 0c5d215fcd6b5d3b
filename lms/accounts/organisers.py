"""What the Organisers group may do, granted by each app's data migration.

A data migration says only which permissions of its app organisers get:

    operations = [migrations.RunPython(*organiser_permissions("surveys", CODENAMES))]
"""

from django.contrib.auth.management import create_permissions

GROUP = "Organisers"


def ensure_permissions_exist(apps):
    """Permissions are normally created after all migrations have run; data migrations that
    grant them need them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def organiser_permissions(app_label, codenames):
    """The (grant, revoke) pair of functions for `RunPython`."""

    def grant(apps, schema_editor):
        ensure_permissions_exist(apps)
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        group, _ = Group.objects.get_or_create(name=GROUP)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )

    def revoke(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        for group in Group.objects.filter(name=GROUP):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )

    return grant, revoke
