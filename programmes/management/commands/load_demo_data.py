from django.core.management.base import BaseCommand

from programmes.demo import load_demo_data


class Command(BaseCommand):
    help = (
        "Load demo libraries, programmes, partners, people and meetings (fictional). "
        "Safe to run again: nothing is duplicated. Staff login: staf@bibliotheek.example / demo-wachtwoord."
    )

    def handle(self, *args, **options):
        for line in load_demo_data():
            self.stdout.write(line)
