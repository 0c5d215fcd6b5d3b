from django.apps import AppConfig


class LearningConfig(AppConfig):
    """A person's own record across bookings, attendance, surveys and certificates. It only
    reads: every change is made by the app that owns the data."""

    name = "lms.learning"
    label = "learning"
    verbose_name = "My learning"
