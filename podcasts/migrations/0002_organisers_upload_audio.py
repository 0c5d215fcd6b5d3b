"""Organisers upload and edit the podcast's audio in the media library.

wagtailmedia checks its own permissions (`wagtailmedia.add_media`, `change_media`) per collection,
whichever media model is in use, so they are granted on the root collection like images.
"""

from django.db import migrations

from lms.accounts.organisers import GROUP, ensure_permissions_exist

CODENAMES = ["add_media", "change_media", "delete_media"]


def grant(apps, schema_editor):
    ensure_permissions_exist(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    group, _ = Group.objects.get_or_create(name=GROUP)
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailmedia", codename__in=CODENAMES
    ):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )


def revoke(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupCollectionPermission.objects.filter(
        group__name=GROUP,
        permission__content_type__app_label="wagtailmedia",
        permission__codename__in=CODENAMES,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("podcasts", "0001_initial"),
        ("accounts", "0002_organisers_group"),
        ("wagtailmedia", "0005_alter_media_options"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
