"""Create an organiser (or make an existing person one) from the command line, for the first
sign-in to a new site and for scripts: `manage.py create_organiser --email … --name …`.

The password is read from the LMS_ORGANISER_PASSWORD environment variable, or asked for twice
when the command runs in a terminal; never from the command line, where it would be kept in the
shell history and shown in the process list. It must pass the site's password rules.

An organiser is what the demo organiser is: staff, in the Organisers group (the permissions the
apps' migrations grant it, the admin among them), with a verified email address so that they can
sign in through allauth at once. Run again for an existing person, it adds what is missing and
leaves their password as it is.
"""

import getpass
import os
import sys

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lms.accounts.organisers import GROUP

PASSWORD_VARIABLE = "LMS_ORGANISER_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create an organiser who can sign in to the admin, or make an existing person one. "
        f"The password comes from {PASSWORD_VARIABLE}, or is asked for in a terminal."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--email", required=True, help="Their email address: they sign in with it."
        )
        parser.add_argument(
            "--name", default="", help="Their full name (required for a new person)."
        )
        parser.add_argument("--job-title", default="Programme organiser")
        parser.add_argument("--organisation", default="")

    def _password(self, user):
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password:
            if not sys.stdin.isatty():
                raise CommandError(f"Set {PASSWORD_VARIABLE}, or run the command in a terminal.")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError("The password is refused: " + " ".join(error.messages)) from error
        return password

    def handle(self, *args, email, name, job_title, organisation, **options):
        User = get_user_model()
        email = User.objects.normalize_email(email.strip())
        try:
            group = Group.objects.get(name=GROUP)
        except Group.DoesNotExist as missing:
            raise CommandError(
                "Run `manage.py migrate` first: it creates the Organisers group."
            ) from missing
        with transaction.atomic():
            user = User.objects.filter(email__iexact=email).first()
            created = user is None
            if created:
                if not name.strip():
                    raise CommandError("Give the new organiser's full name with --name.")
                user = User(
                    email=email,
                    full_name=name.strip(),
                    role="other",
                    organisation=organisation,
                    job_title=job_title,
                )
                user.set_password(self._password(user))
            user.is_staff = True
            user.is_active = True
            user.save()
            user.groups.add(group)
            address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
            if address is None:
                address = EmailAddress(user=user, email=user.email)
            address.verified = True
            address.primary = True
            address.save()
        self.stdout.write(
            f"{'Created organiser' if created else 'Made an organiser of'} {user.email}"
            f"{'' if created else ' (password unchanged)'}."
        )
