from django.core.management.base import BaseCommand, CommandError

from lms.accounts.councils import CouncilDataError, councils_loaded, load_councils


class Command(BaseCommand):
    help = (
        "Load or refresh the English council directory from mySociety's register. "
        "Safe to run again: it creates what is missing, updates what changed and deletes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help="Path to a newer edition of uk_local_authorities.csv")

    def handle(self, *args, **options):
        try:
            result = load_councils(path=options["file"])
        except (OSError, KeyError, CouncilDataError) as error:
            raise CommandError(f"Councils not loaded, nothing changed: {error}") from error
        if result.created or result.updated:
            councils_loaded.send(sender=self.__class__, result=result)
        self.stdout.write(self.style.SUCCESS(str(result)))
