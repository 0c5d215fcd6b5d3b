"""Load the demo programme into the database `make run` serves.

Safe to run again: everything is looked up before it is created, and nothing that exists is
changed, so a developer's own edits survive. Refuses to run where settings.LMS_DEMO_ALLOWED is
false (production).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import people, podcast, programme, site
from events.models import WhatsOnPage
from lms.accounts.councils import load_councils
from lms.pages.models import ThemeIndexPage
from podcasts.models import PodcastPage


class Command(BaseCommand):
    help = (
        "Load the demo programme (site pages, themes, the demo organiser, councillor and "
        "officer). Safe to run again."
    )

    def handle(self, *args, **options):
        if not getattr(settings, "LMS_DEMO_ALLOWED", False):
            raise CommandError(
                "The demo is not loaded with these settings (LMS_DEMO_ALLOWED is off)."
            )
        self.stdout.write(str(load_councils()))
        with transaction.atomic():
            created = site.load_site()
            organiser_created = site.load_organiser()
        self.stdout.write(
            f"Site pages and themes: {created} created{'' if created else ' (already there)'}."
        )
        self.stdout.write("Loading the 2019/20 programme and the next one…")
        loaded = programme.load_programme()
        self.stdout.write(
            "Programme loaded." if loaded else "Programme already there: kept as it is."
        )
        people_created = people.load_people()
        self.stdout.write(
            "The demo councillor and officer, with a booking in every state: "
            + ("created." if people_created else "already there: kept as they are.")
        )
        self.stdout.write(podcast.load_and_describe())
        site.load_navigation(
            WhatsOnPage.objects.live().first(),
            ThemeIndexPage.objects.live().first(),
            (PodcastPage.objects.live().first(), "Podcast"),
        )
        unless = "" if organiser_created else "  (unless you have changed it)"
        self.stdout.write(
            self.style.SUCCESS(
                "\nSign in as the demo organiser at http://127.0.0.1:8000/admin/\n"
                f"  email:    {site.ORGANISER_EMAIL}\n"
                f"  password: {site.ORGANISER_PASSWORD}{unless}"
            )
        )
        unless = "" if people_created else "  (unless you have changed it)"
        for login, who in ((people.COUNCILLOR, "councillor"), (people.OFFICER, "officer")):
            self.stdout.write(
                self.style.SUCCESS(
                    f"\nSign in as the demo {who} ({login.full_name}) at "
                    "http://127.0.0.1:8000/account/login/ and open My bookings\n"
                    f"  email:    {login.email}\n"
                    f"  password: {login.password}{unless}"
                )
            )
