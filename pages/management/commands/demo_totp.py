import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pages.management.commands.seed_demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Prints the current second-factor code of the demo staff users (demo only)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo only.")
        counter = int(time.time()) // 30
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
