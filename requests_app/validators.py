import re

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What an attachment may be, told apart by content (magic numbers), never by its name. A .docx
# is a zip file: filetype recognises it by the Word parts inside, so a plain zip or a program
# renamed to .docx or .pdf is refused.
ALLOWED_ATTACHMENTS = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


def validate_cost_centre(value: str) -> None:
    if not re.fullmatch(settings.COST_CENTRE_PATTERN, value or ""):
        raise ValidationError(
            _("Kostnadsstället har fel format. Skriv det som i exemplet: %(example)s.")
            % {"example": settings.COST_CENTRE_EXAMPLE},
            code="cost_centre",
        )


def validate_attachment(upload) -> str:
    """Checks size and real type; returns the file ending that belongs to the type found."""
    limit = settings.REQUEST_ATTACHMENT_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(_("Filen är för stor. Den får vara högst %(mb)d MB.") % {"mb": limit}, code="too_large")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime not in ALLOWED_ATTACHMENTS:
        raise ValidationError(_("Filen måste vara en PDF eller ett Word-dokument."), code="wrong_type")
    return ALLOWED_ATTACHMENTS[mime]
