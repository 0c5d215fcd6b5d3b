"""Organisers take attendance: they mark, correct and read registers and their history."""

from django.db import migrations

from lms.accounts.organisers import organiser_permissions

CODENAMES = ["add_attendance", "change_attendance", "view_attendance", "view_attendancechange"]


grant, revoke = organiser_permissions("bookings", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0004_attendance_and_completion")]
    operations = [migrations.RunPython(grant, revoke)]
