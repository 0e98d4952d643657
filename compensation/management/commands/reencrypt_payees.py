"""Key rotation: re-encrypt every payee's numbers with the first key in PAYOUT_ENCRYPTION_KEYS.

1. Generate a key: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
2. Put it first: PAYOUT_ENCRYPTION_KEYS=<new>,<old>  (restart web and worker)
3. manage.py reencrypt_payees
4. Remove the old key from PAYOUT_ENCRYPTION_KEYS (restart again).
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from compensation.models import Payee


class Command(BaseCommand):
    help = "Re-encrypts payee identity and bank numbers with the newest key (after adding a key)."

    def handle(self, *args, **options):
        count = 0
        for payee in Payee.objects.only("pk", "personnummer", "clearing_number", "bank_account").iterator(chunk_size=500):
            with transaction.atomic():
                # update(), not save(): the values are the same, so nothing to log and updated_at stays.
                Payee.objects.filter(pk=payee.pk).update(
                    personnummer=payee.personnummer,
                    clearing_number=payee.clearing_number,
                    bank_account=payee.bank_account,
                )
            count += 1
        self.stdout.write(f"Re-encrypted {count} payees.")
