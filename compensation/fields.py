"""Encrypted fields for payee details, on django-fernet-encrypted-fields.

The library derives its keys from SECRET_KEY; payout data gets keys of its own instead
(settings.PAYOUT_ENCRYPTION_KEYS, from the environment), so rotating the site's secret never
touches payee data and the payee key can be rotated alone: put a new key first, run
`manage.py reencrypt_payees`, then drop the old key.
"""

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from encrypted_fields.fields import EncryptedCharField


class PayoutEncryptedCharField(EncryptedCharField):
    @property
    def keys(self) -> list[bytes]:
        return [key.strip().encode() for key in settings.PAYOUT_ENCRYPTION_KEYS]

    @property
    def f(self) -> MultiFernet:
        # Not cached: tests and a rotation change the keys while the process runs.
        return MultiFernet([Fernet(key) for key in self.keys])

    def get_prep_value(self, value):
        # The library stores an empty value as NULL; a blank=True, NOT NULL column wants "".
        if value in (None, ""):
            return None if self.null else ""
        return super().get_prep_value(value)
