from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "lms.bookings"
    label = "bookings"
    verbose_name = "Runs and bookings"
