from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared pieces: the record of emails sent (each once) and of the task workers alive;
    the `db_worker` command, django-tasks-db's with dead workers' tasks recovered, and
    `prune_db_task_results` run once at a time (listed before `django_tasks_db` in
    INSTALLED_APPS so these commands win)."""

    name = "lms.core"
    label = "core"
    verbose_name = "Core"
    default_auto_field = "django.db.models.BigAutoField"
