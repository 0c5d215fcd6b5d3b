from django.core.management.base import BaseCommand

from lms.bookings import services
from lms.core.locks import once_at_a_time


class Command(BaseCommand):
    help = (
        "Withdraw expired offers (passing the places on) and send reminders (with online runs' "
        "joining details) for runs starting within BOOKING_REMINDER_DAYS days. Run it every few "
        "minutes, for example from cron."
    )

    # However many machines run the timer, one does the work (lms/core/locks.py).
    @once_at_a_time("booking_housekeeping")
    def handle(self, *args, **options):
        expired = services.expire_offers()
        reminded = services.send_reminders()
        self.stdout.write(f"{expired} expired offers passed on; {reminded} reminders sent.")
