"""Anonymous answers carry no order and no time (2 of 3): the data.

Invitations keep only that they were answered (`answered`), not when. Every response and its
answers are copied to the UUID-keyed tables in a shuffled order, so neither their keys nor the
new tables' physical order follow the order people answered in; an anonymous response keeps no
link to its invitation and no time (they were already empty; cleared again to be sure).
"""

import random

from django.db import migrations

BATCH = 500


def forward(apps, schema_editor):
    Invitation = apps.get_model("surveys", "Invitation")
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    KeyedResponse = apps.get_model("surveys", "KeyedResponse")
    KeyedAnswer = apps.get_model("surveys", "KeyedAnswer")

    Invitation.objects.filter(responded_at__isnull=False).update(answered=True)

    shuffle = random.SystemRandom().shuffle
    old = list(Response.objects.values("pk", "survey_id", "survey__anonymous", "invitation_id", "submitted_at"))
    shuffle(old)
    new_keys = {}
    for start in range(0, len(old), BATCH):
        rows = []
        for row in old[start : start + BATCH]:
            anonymous = row["survey__anonymous"]
            response = KeyedResponse(
                survey_id=row["survey_id"],
                invitation_id=None if anonymous else row["invitation_id"],
                submitted_at=None if anonymous else row["submitted_at"],
            )
            new_keys[row["pk"]] = response.pk
            rows.append(response)
        KeyedResponse.objects.bulk_create(rows)

    answers = list(Answer.objects.values("response_id", "question_id", "choice", "number", "text"))
    shuffle(answers)
    KeyedAnswer.objects.bulk_create(
        (KeyedAnswer(**{**row, "response_id": new_keys[row["response_id"]]}) for row in answers),
        batch_size=BATCH,
    )


def backward(apps, schema_editor):
    """Back to autoincrement keys. The times people answered are gone: an answered invitation
    gets its survey's closing date (or opening, if it has none) as `responded_at`."""
    Invitation = apps.get_model("surveys", "Invitation")
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    KeyedResponse = apps.get_model("surveys", "KeyedResponse")
    KeyedAnswer = apps.get_model("surveys", "KeyedAnswer")

    for invitation in Invitation.objects.filter(answered=True).select_related("survey"):
        invitation.responded_at = invitation.survey.closes_at or invitation.survey.opened_at or invitation.sent_at
        invitation.save(update_fields=["responded_at"])
    old_keys = {}
    for keyed in KeyedResponse.objects.order_by("pk"):
        response = Response.objects.create(
            survey_id=keyed.survey_id, invitation_id=keyed.invitation_id, submitted_at=keyed.submitted_at
        )
        old_keys[keyed.pk] = response.pk
    Answer.objects.bulk_create(
        (
            Answer(
                response_id=old_keys[a.response_id], question_id=a.question_id,
                choice=a.choice, number=a.number, text=a.text,
            )
            for a in KeyedAnswer.objects.order_by("pk")
        ),
        batch_size=BATCH,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_responses_keyed_by_uuid"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
