"""The public check of an agreement PDF: is this file the one we issued?

A file is ours when its SHA-256 is the one stored for a sealed document: one changed byte
anywhere and it is not. The file is only hashed, never parsed, so a hostile PDF gets nowhere.
A typed reference tells only that such a document exists, when it was signed and the hash
to compare with: never the content, which someone without the file must not learn.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import filetype
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.middleware import client_ip
from assignments.documents.render import normalise_reference
from assignments.enums import Party
from assignments.models import AgreementDocument


@dataclass(frozen=True)
class Signer:
    name: str
    party: str
    signed_at: datetime


@dataclass(frozen=True)
class Verdict:
    """What the page says about an uploaded file."""

    intact: bool
    reference: str = ""
    signed_at: datetime | None = None
    signers: tuple[Signer, ...] = ()


def rate_limited(request) -> bool:
    """True once a client IP address has made AGREEMENT_VERIFY_PER_HOUR checks this hour."""
    key = f"assignments:verify:{client_ip(request)}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > settings.AGREEMENT_VERIFY_PER_HOUR


def validate_upload(upload) -> None:
    limit = settings.AGREEMENT_VERIFY_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(_("Filen är för stor. Den får vara högst %(mb)d MB.") % {"mb": limit}, code="too_large")
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime != "application/pdf":
        raise ValidationError(_("Filen måste vara en PDF."), code="wrong_type")


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def verify_file(upload) -> Verdict:
    document = AgreementDocument.objects.select_related("agreement").filter(sha256=sha256_of(upload)).first()
    if document is None:
        return Verdict(intact=False)
    signers = tuple(
        Signer(
            name=s.signer_name,
            party=str(Party(s.party).label) if s.party in Party.values else s.party,
            signed_at=timezone.localtime(s.signed_at),
        )
        for s in document.agreement.signatures.all()
    )
    return Verdict(
        intact=True,
        reference=document.reference,
        signed_at=timezone.localtime(document.agreement.signed_at),
        signers=signers,
    )


def find_reference(typed: str) -> AgreementDocument | None:
    reference = normalise_reference(typed)
    if not reference:
        return None
    return AgreementDocument.objects.select_related("agreement").filter(reference=reference).first()
