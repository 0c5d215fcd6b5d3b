from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared pieces: the record of emails sent (each once) and of the task workers alive, and
    the `db_worker` command that replaces django-tasks-db's with one that recovers dead workers'
    tasks (listed before `django_tasks_db` in INSTALLED_APPS so its command wins)."""

    name = "lms.core"
    label = "core"
    verbose_name = "Core"
    default_auto_field = "django.db.models.BigAutoField"
