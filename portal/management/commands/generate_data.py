"""`manage.py generate_data --scale 30 --seed 1`: a realistic data set for load tests (see portal.datagen)."""

from django.core.management.base import BaseCommand, CommandError

from portal import datagen


class Command(BaseCommand):
    help = (
        "Fill the database with realistic, reproducible data: scale 1 is about the five demo libraries, "
        "scale 30 about 150 library organisations with 200,000 meetings and 2,000,000 registrations."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1, help="1 = five library organisations (default 1)"
        )
        parser.add_argument("--seed", type=int, default=1, help="the same seed and day give the same rows")
        parser.add_argument("--today", type=datagen.parse_day, help="pretend it is this day (YYYY-MM-DD)")
        parser.add_argument("--append", action="store_true", help="add to the data already there")
        parser.add_argument(
            "--force", action="store_true", help="empty the portal's tables first (all their rows are lost)"
        )
        parser.add_argument("--no-analyze", action="store_true", help="skip ANALYZE at the end")

    def handle(self, *args, scale, seed, today, append, force, no_analyze, **options):
        if scale <= 0:
            raise CommandError("--scale must be more than 0.")
        try:
            lines = datagen.generate(
                scale=scale,
                seed=seed,
                today=today,
                append=append,
                force=force,
                analyze=not no_analyze,
                log=self.stdout.write,
            )
        except datagen.Refused as refused:
            raise CommandError(str(refused)) from refused
        for line in lines:
            self.stdout.write(line)
