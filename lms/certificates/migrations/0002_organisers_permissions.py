"""Organisers issue, revoke and re-issue certificates and build a run's ZIP (certificates change
only through the certificate services; nobody deletes one)."""

from django.db import migrations

from lms.accounts.organisers import organiser_permissions

CODENAMES = [
    "view_certificate", "add_certificate", "change_certificate",
    "view_certificatearchive", "add_certificatearchive",
]


grant, revoke = organiser_permissions("certificates", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("accounts", "0002_organisers_group"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
