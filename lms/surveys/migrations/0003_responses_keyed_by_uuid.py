"""Anonymous answers carry no order and no time (1 of 3): the new tables and the answered flag.

Responses and answers move to new tables keyed by random UUIDs (0004 copies the rows across in
a shuffled order, 0005 drops the old tables and takes their names). Copying, rather than
altering the key in place, works alike on SQLite and PostgreSQL (a bigint key cannot be cast to
a UUID, and answers' foreign keys point at it), and leaves the copied rows' physical order
shuffled rather than in the order people answered. Each step is its own migration, so
PostgreSQL never alters a table with row changes pending in the same transaction.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_default_template_and_organisers"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="answered",
            field=models.BooleanField(default=False),
        ),
        migrations.CreateModel(
            name="KeyedResponse",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("submitted_at", models.DateTimeField(blank=True, null=True)),
                (
                    "invitation",
                    models.OneToOneField(
                        blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                        related_name="+", to="surveys.invitation",
                    ),
                ),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="surveys.survey"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="KeyedAnswer",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("choice", models.CharField(blank=True, max_length=300)),
                ("number", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("text", models.TextField(blank=True)),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="surveys.question"
                    ),
                ),
                (
                    "response",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="answers",
                        to="surveys.keyedresponse",
                    ),
                ),
            ],
        ),
    ]
