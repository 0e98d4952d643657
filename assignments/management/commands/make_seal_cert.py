"""A self-signed seal certificate for development: `make run` calls it; production brings its own."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assignments.seal import make_self_signed


class Command(BaseCommand):
    help = "Creates a self-signed certificate and key for sealing agreement PDFs (development only), if missing."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Replace an existing pair.")

    def handle(self, *args, force=False, **options):
        if settings.PRODUCTION:
            raise CommandError("Refusing in production: use the region's own seal certificate.")
        cert_file, key_file = Path(settings.AGREEMENT_SEAL_CERT_FILE), Path(settings.AGREEMENT_SEAL_KEY_FILE)
        if cert_file.exists() and key_file.exists() and not force:
            self.stdout.write(f"Seal certificate already at {cert_file}")
            return
        make_self_signed(cert_file, key_file, common_name=f"{settings.REGION_NAME} – Levande bibliotek (utveckling)")
        self.stdout.write(self.style.SUCCESS(f"Self-signed seal certificate written to {cert_file} and {key_file}"))
