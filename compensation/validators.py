import re

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from personnummer import personnummer

# Receipts and certificates: told apart by content (magic numbers), never by their name, so a
# program renamed to kvitto.pdf is refused.
ALLOWED_RECEIPTS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def normalise_identity_number(value: str) -> str:
    """'19701063-2391' or '197010632391' -> '197010632391' if valid; the `personnummer`
    library checks the date (day + 60 for a samordningsnummer) and the Luhn checksum."""
    digits = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"\d{12}", digits):
        raise ValidationError(
            _("Skriv alla tolv siffrorna: år, månad, dag och de fyra sista, till exempel 19121212-1212."), code="format"
        )
    try:
        parsed = personnummer.parse(digits)
    except personnummer.PersonnummerException:
        raise ValidationError(
            _("Numret stämmer inte. Kontrollera siffrorna – ett av dem är troligen fel."), code="invalid"
        ) from None
    return parsed.format(long_format=True)


def validate_clearing_number(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"\d{4,5}", digits):
        raise ValidationError(_("Clearingnumret är fyra siffror (fem för Swedbank), till exempel 8327-9."), code="clearing")
    return digits


def validate_bank_account(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"\d{6,12}", digits):
        raise ValidationError(_("Kontonumret ska vara mellan 6 och 12 siffror."), code="account")
    return digits


def validate_receipt(upload) -> str:
    """Checks size and real type; returns the file ending that belongs to the type found."""
    limit = settings.RECEIPT_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(_("Filen är för stor. Den får vara högst %(mb)d MB.") % {"mb": limit}, code="too_large")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime not in ALLOWED_RECEIPTS:
        raise ValidationError(_("Kvittot måste vara en PDF eller en bild (JPG eller PNG)."), code="wrong_type")
    return ALLOWED_RECEIPTS[mime]
