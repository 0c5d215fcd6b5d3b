"""Anonymous answers carry no order and no time (3 of 3): the old tables and times go.

The autoincrement-keyed responses and answers are dropped and the UUID-keyed copies take their
names; invitations lose `responded_at`.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0004_copy_responses_forget_answer_times"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="invitation", name="surveys_inv_survey__9b4028_idx"),
        migrations.RemoveField(model_name="invitation", name="responded_at"),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(fields=["survey", "answered"], name="surveys_inv_survey__49aab7_idx"),
        ),
        migrations.DeleteModel(name="Answer"),
        migrations.DeleteModel(name="Response"),
        migrations.RenameModel(old_name="KeyedResponse", new_name="Response"),
        migrations.RenameModel(old_name="KeyedAnswer", new_name="Answer"),
        migrations.AlterField(
            model_name="response",
            name="invitation",
            field=models.OneToOneField(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="response", to="surveys.invitation",
            ),
        ),
        migrations.AlterField(
            model_name="response",
            name="survey",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="responses", to="surveys.survey"
            ),
        ),
        migrations.AlterField(
            model_name="answer",
            name="question",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="answers", to="surveys.question"
            ),
        ),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(fields=["question", "choice"], name="surveys_ans_questio_e03d6c_idx"),
        ),
    ]
