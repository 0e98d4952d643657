"""Rendering an agreement's PDF once, sealing it and storing it with its SHA-256."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import log_action
from assignments.documents.render import new_reference, render_pdf
from assignments.models import Agreement, AgreementDocument
from assignments.seal import seal_pdf


def fully_signed():
    """Agreement versions whose last party has signed and that were not voided since."""
    return Agreement.objects.filter(signed_at__isnull=False, voided_at__isnull=True)


def missing_documents():
    return fully_signed().filter(document__isnull=True)


def create_document(agreement: Agreement) -> AgreementDocument | None:
    """The sealed PDF of a fully signed version, made once.

    The agreement row is locked while rendering, so two workers (or the task and the sweep)
    never render the same version twice; the second waits, finds the document and returns it.
    A version voided or not yet signed gets none (returns None). The file is written before
    the row; if the transaction fails, the file is removed again.
    """
    stored = None
    try:
        with transaction.atomic():
            locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
            existing = AgreementDocument.objects.filter(agreement=locked).first()
            if existing is not None:
                return existing
            if locked.signed_at is None or locked.voided_at is not None:
                return None
            reference = new_reference()
            started = timezone.now()
            pdf = render_pdf(locked, reference=reference)
            with translation.override(settings.LANGUAGE_CODE):
                reason = _("Underskriven överenskommelse %(reference)s") % {"reference": locked.assignment.reference}
            sealed = seal_pdf(pdf, reason=reason, location=settings.REGION_NAME)
            digest = hashlib.sha256(sealed).hexdigest()
            document = AgreementDocument(agreement=locked, reference=reference, sha256=digest)
            document.file.save(f"{locked.assignment.reference}-v{locked.version}.pdf", ContentFile(sealed), save=False)
            stored = document.file.name
            document.save()
            log_action(
                "assignments.agreement.document_created",
                obj=locked.assignment,
                data={
                    "version": locked.version,
                    "reference": reference,
                    "sha256": digest,
                    "render_ms": int((timezone.now() - started).total_seconds() * 1000),
                },
            )
    except Exception:
        if stored:
            AgreementDocument.file.field.storage.delete(stored)
        raise
    return document
