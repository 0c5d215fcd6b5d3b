"""The default satisfaction survey every run gets, and what organisers may do with surveys."""

from django.db import migrations

from lms.accounts.organisers import organiser_permissions

DEFAULT_QUESTIONS = [
    {
        "key": "satisfaction",
        "kind": "likert",
        "text": "Overall, how satisfied are you with the course and how it has developed your knowledge and role?",
    },
    {
        "key": "recommend",
        "kind": "scale",
        "text": "How likely are you to recommend this course to a colleague?",
        "hint": "0 is not at all likely, 10 is extremely likely.",
    },
    {"key": "most_useful", "kind": "text", "text": "What was most useful?", "required": False},
    {"key": "change", "kind": "text", "text": "What should we change?", "required": False},
]

CODENAMES = [
    "add_surveytemplate", "change_surveytemplate", "delete_surveytemplate", "view_surveytemplate",
    "add_question", "change_question", "delete_question", "view_question",
    "change_survey", "view_survey",
]


def create_default_template(apps, schema_editor):
    SurveyTemplate = apps.get_model("surveys", "SurveyTemplate")
    Question = apps.get_model("surveys", "Question")
    template = SurveyTemplate.objects.create(
        name="Course satisfaction",
        description="Four questions, about two minutes. Your answers help us improve the programme.",
        is_default=True,
    )
    for order, question in enumerate(DEFAULT_QUESTIONS):
        Question.objects.create(template=template, sort_order=order, **question)


def remove_default_template(apps, schema_editor):
    SurveyTemplate = apps.get_model("surveys", "SurveyTemplate")
    Question = apps.get_model("surveys", "Question")
    Question.objects.filter(template__name="Course satisfaction").delete()
    SurveyTemplate.objects.filter(name="Course satisfaction").delete()


grant, revoke = organiser_permissions("surveys", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("accounts", "0002_organisers_group"),
    ]
    operations = [
        migrations.RunPython(create_default_template, remove_default_template),
        migrations.RunPython(grant, revoke),
    ]
