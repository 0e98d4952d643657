"""Rebuilds the shortlist's kept rows (matching.keep) from the live tables: after a load by raw SQL, say."""

from django.core.management.base import BaseCommand

from matching import keep


class Command(BaseCommand):
    help = "Rebuilds the shortlist's kept rows (one per active person) from the people, their links and inquiries."

    def handle(self, *args, **options):
        people = keep.rebuild()
        self.stdout.write(f"{people} rows kept.")
