"""Organisers see the programme's figures and export them."""

from django.db import migrations

from lms.accounts.organisers import organiser_permissions

CODENAMES = ["view_figures"]


grant, revoke = organiser_permissions("reports", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_figures"),
        ("accounts", "0002_organisers_group"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
