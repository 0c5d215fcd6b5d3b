"""Shared passwords on private pages and document collections are turned off
(WAGTAIL_PRIVATE_PAGE_OPTIONS, WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS): a restriction made with
one before could no longer be opened by anyone. Each becomes a "signed-in people" restriction, so
the content stays private, and its shared password is forgotten. Not reversed: which password
it was is not kept."""

from django.db import migrations


def shared_passwords_become_login(apps, schema_editor):
    for model in ("PageViewRestriction", "CollectionViewRestriction"):
        restrictions = apps.get_model("wagtailcore", model).objects.filter(restriction_type="password")
        restrictions.update(restriction_type="login", password="")


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.RunPython(shared_passwords_become_login, migrations.RunPython.noop),
    ]
