"""The "Organisers" group: programme staff who run the site in the Wagtail admin.

They can reach the admin, write and publish pages anywhere in the site, upload images and
documents, edit the programme's themes and footer links, and browse the council directory.
They are not administrators: they cannot manage users, groups or the site's settings.
Later apps add the permissions for their own models (runs, bookings, reports) in their own
migrations.
"""

from django.db import migrations

from lms.accounts.organisers import ensure_permissions_exist

GROUP_NAME = "Organisers"
MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("accounts", "council", "view_council"),
    ("pages", "theme", "add_theme"),
    ("pages", "theme", "change_theme"),
    ("pages", "theme", "delete_theme"),
    ("pages", "theme", "view_theme"),
    ("pages", "footerlinks", "change_footerlinks"),
]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
]


def create_organisers(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    ensure_permissions_exist(apps)

    def permission(app_label, model, codename):
        return Permission.objects.get(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        )

    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(*(permission(*spec) for spec in MODEL_PERMISSIONS))

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    if root_page:
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=permission("wagtailcore", "page", codename)
            )

    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    if root_collection:
        for app_label, model, codenames in COLLECTION_PERMISSIONS:
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=permission(app_label, model, codename),
                )


def remove_organisers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("pages", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_organisers, remove_organisers)]
