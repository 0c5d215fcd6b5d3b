from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lms.reports"
    label = "reports"
    verbose_name = "Figures"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from lms.accounts.councils import councils_loaded
        from lms.accounts.models import Council
        from lms.bookings.models import Attendance, Booking
        from lms.certificates.models import Certificate
        from lms.surveys.models import Answer, Response, Survey

        from .wagtail_hooks import figures_changed

        # What the cached "this year" panel counts, beyond the catalogue and places versions.
        # Councils too: the panel counts only councils that existed in the year.
        counted = (
            Booking,
            Attendance,
            Survey,
            Response,
            Answer,
            Certificate,
            get_user_model(),
            Council,
        )
        for model in counted:
            post_save.connect(
                figures_changed, sender=model, dispatch_uid=f"figures-save-{model.__name__}"
            )
            post_delete.connect(
                figures_changed, sender=model, dispatch_uid=f"figures-delete-{model.__name__}"
            )
        councils_loaded.connect(figures_changed, dispatch_uid="figures-councils-loaded")
