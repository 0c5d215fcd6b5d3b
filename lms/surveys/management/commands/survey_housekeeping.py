from django.core.management.base import BaseCommand

from lms.core.locks import once_at_a_time
from lms.surveys import services


class Command(BaseCommand):
    help = (
        "Open the surveys of runs that have ended (inviting their attendees) and send the one "
        "reminder to people who have not answered. Run it every few minutes, for example from cron."
    )

    # However many machines run the timer, one does the work (lms/core/locks.py).
    @once_at_a_time("survey_housekeeping")
    def handle(self, *args, **options):
        invited = services.open_due_surveys()
        reminded = services.send_reminders()
        self.stdout.write(f"{invited} survey invitations sent; {reminded} reminders sent.")
