"""django-tasks-db's `prune_db_task_results`, run once at a time however many machines run its
timer (lms/core/locks.py). The same name, options and output: this app stands before
django_tasks_db in INSTALLED_APPS, so `manage.py prune_db_task_results` is this one."""

from django_tasks_db.management.commands import prune_db_task_results

from lms.core.locks import once_at_a_time


class Command(prune_db_task_results.Command):
    @once_at_a_time("prune_db_task_results")
    def handle(self, *args, **options):
        return super().handle(*args, **options)
