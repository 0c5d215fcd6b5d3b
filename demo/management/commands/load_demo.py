"""Load the demo programme into the database `make run` serves.

Safe to run again: everything is looked up before it is created, and nothing that exists is
changed, so a developer's own edits survive. Refuses to run where settings.LMS_DEMO_ALLOWED is
false (production).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import podcast, programme, site
from events.models import WhatsOnPage
from lms.accounts.councils import load_councils
from lms.pages.models import ThemeIndexPage
from podcasts.models import PodcastPage


class Command(BaseCommand):
    help = "Load the demo programme (site pages, themes, the demo organiser). Safe to run again."

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
        self.stdout.write(podcast.load_and_describe())
        site.load_navigation(
            WhatsOnPage.objects.live().first(),
            ThemeIndexPage.objects.live().first(),
            (PodcastPage.objects.live().first(), "Podcast"),
        )
        self.stdout.write(
            self.style.SUCCESS(
                "\nSign in as the demo organiser at http://127.0.0.1:8000/admin/\n"
                f"  email:    {site.ORGANISER_EMAIL}\n"
                f"  password: {site.ORGANISER_PASSWORD}"
                + ("" if organiser_created else "  (unless you have changed it)")
            )
        )
