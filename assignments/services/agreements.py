"""Drafting the agreement, freezing it into a version, and new versions when it changes.

While the assignment is being drafted the unit's contact (or a coordinator) edits its fields
and sessions freely; the person can read the draft on their page. "Skicka för underskrift"
freezes everything the parties read into Agreement.content with a SHA-256 over its canonical
JSON. A change after that makes a new version and voids the old one with its signatures:
nothing signed is ever altered, and earlier versions stay to be read.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.audit import log_action
from assignments import emails, hooks
from assignments.enums import EDITABLE_STATUSES, AssignmentStatus, SessionMode
from assignments.models import Agreement, AgreementTemplate, Assignment, Session
from assignments.services.errors import AssignmentError
from assignments.services.lifecycle import lock, save, set_assignment_status

# The fields of the assignment the agreement form edits.
AGREEMENT_FIELDS = [
    "title",
    "description",
    "purpose",
    "role",
    "preparation",
    "preparation_hours",
    "confidentiality",
    "share_email",
    "share_phone",
    "contact_name",
    "contact_email",
    "contact_phone",
]
SESSION_FIELDS = ["date", "starts_at", "ends_at", "mode", "address", "link"]


def canonical_json(content: dict) -> bytes:
    """The bytes the hash is taken over: sorted keys, no spaces, UTF-8. Stable across Python runs
    and databases (JSONField may reorder keys; this never does)."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def content_hash(content: dict) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def current_template() -> AgreementTemplate:
    template = AgreementTemplate.objects.order_by("-version").first()
    if template is None:
        raise AssignmentError(_("Det finns ingen mall för överenskommelsen. Be en administratör lägga in en."))
    return template


def current_agreement(assignment: Assignment) -> Agreement | None:
    """The version that counts: the newest one not voided."""
    return assignment.agreements.filter(voided_at__isnull=True).order_by("-version").first()


def _hours(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def build_content(assignment: Assignment, template: AgreementTemplate) -> dict:
    """Everything the parties read, as plain values: parties, what and why, sessions, place, role,
    preparation, confidentiality, shared contact details, cancellation, fee, support, personal data.

    Written in Swedish whatever the reader's language, because this is what is signed.
    """
    unit_request = assignment.request
    unit = unit_request.unit
    resource = assignment.resource
    sessions = list(assignment.sessions.all())
    with override(settings.LANGUAGE_CODE):
        shared = []
        if assignment.share_email and resource.email:
            shared.append({"what": str(_("E-post")), "value": resource.email})
        if assignment.share_phone and resource.phone:
            shared.append({"what": str(_("Telefon")), "value": resource.phone})
        places = sorted({s.address for s in sessions if s.mode == SessionMode.ON_SITE and s.address})
        return {
            "reference": assignment.reference,
            "request_reference": unit_request.reference or "",
            "region": settings.REGION_NAME,
            "template_version": template.version,
            "unit": {
                "name": unit.name,
                "organisation": unit.organisation,
                "cost_centre": unit.cost_centre,
                "contact": {
                    "name": assignment.contact_name,
                    "email": assignment.contact_email,
                    "phone": assignment.contact_phone,
                },
            },
            "resource": {"name": resource.full_name},
            "what": {
                "title": assignment.title,
                "kind": assignment.description,
                "purpose": assignment.purpose,
                "role": assignment.role,
            },
            "sessions": [
                {
                    "date": s.date.isoformat(),
                    "starts_at": s.starts_at.strftime("%H:%M"),
                    "ends_at": s.ends_at.strftime("%H:%M"),
                    "hours": _hours(s.planned_hours),
                    "mode": str(SessionMode(s.mode).label),
                    "address": s.address if s.mode == SessionMode.ON_SITE else "",
                    "link": s.link if s.mode == SessionMode.DIGITAL else "",
                }
                for s in sessions
            ],
            "place": places,
            "digital": any(s.mode == SessionMode.DIGITAL for s in sessions),
            "hours": _hours(sum((s.planned_hours for s in sessions), Decimal(0))),
            "preparation": {"text": assignment.preparation, "hours": _hours(assignment.preparation_hours)},
            "confidentiality": {
                "applies": assignment.confidentiality,
                "text": template.confidentiality
                if assignment.confidentiality
                else str(_("Personen förväntas inte ta del av uppgifter om enskilda patienter.")),
            },
            "shared_contact": shared,
            "cancellation": template.cancellation,
            "late_cancellation": str(
                _("Ställer verksamheten in ett tillfälle senare än %(hours)s timmar före starten betalas arvodet ändå.")
                % {"hours": settings.LATE_CANCELLATION_HOURS}
            ),
            "fee": hooks.fee_text(assignment),
            "support": template.support,
            "personal_data": template.personal_data,
            "other": template.other,
        }


def draft_content(assignment: Assignment) -> dict:
    """The text as it would be if it were frozen now: what the person reads while it is drafted."""
    return build_content(assignment, current_template())


def check_ready(assignment: Assignment) -> list[str]:
    """What is missing before the agreement can go out for signing."""
    problems = []
    if not assignment.title.strip():
        problems.append(_("Skriv vad uppdraget gäller."))
    if not assignment.role.strip():
        problems.append(_("Beskriv erfarenhetsresursens roll."))
    if not (assignment.contact_name.strip() and assignment.contact_email.strip()):
        problems.append(_("Fyll i kontaktperson och e-post."))
    sessions = list(assignment.sessions.all())
    if not sessions:
        problems.append(_("Lägg till minst ett tillfälle."))
    for s in sessions:
        if s.mode == SessionMode.ON_SITE and not s.address.strip():
            problems.append(_("Tillfället %(date)s behöver en adress.") % {"date": s.date.isoformat()})
        if s.mode == SessionMode.DIGITAL and not s.link.strip():
            problems.append(_("Tillfället %(date)s behöver en länk till mötet.") % {"date": s.date.isoformat()})
    return problems


def _new_version(assignment: Assignment, *, actor) -> Agreement:
    """Freeze the content into a new version and void the one before it (with its signatures)."""
    now = timezone.now()
    previous = current_agreement(assignment)
    template = current_template()
    content = build_content(assignment, template)
    digest = content_hash(content)
    if previous is not None:
        if previous.content_hash == digest:
            return previous
        previous.voided_at = now
        previous.save(update_fields=["voided_at"])
    number = (assignment.agreements.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    agreement = Agreement.objects.create(
        assignment=assignment,
        version=number,
        template=template,
        content=content,
        content_hash=digest,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        sent_at=now,
    )
    log_action(
        "assignments.agreement.version",
        actor=actor,
        obj=assignment,
        data={
            "version": number,
            "hash": digest,
            "voided": previous.version if previous else None,
            "voided_signatures": previous.signatures.count() if previous else 0,
        },
    )
    return agreement


@transaction.atomic
def send_for_signing(assignment: Assignment, *, actor, expected_version: int | None = None) -> Agreement:
    """Freeze the draft as version 1 (or the next) and ask both parties to sign."""
    locked = lock(assignment, expected_version)
    if locked.status != AssignmentStatus.DRAFTING:
        raise AssignmentError(_("Överenskommelsen är redan skickad för underskrift."))
    if problems := check_ready(locked):
        raise AssignmentError(" ".join(str(p) for p in problems))
    agreement = _new_version(locked, actor=actor)
    set_assignment_status(locked, AssignmentStatus.SIGNING, actor=actor)
    emails.send_please_sign(agreement)
    return agreement


def _after_change(locked: Assignment, *, actor) -> None:
    """A change while out for signing or signed: a new version replaces the old, whose signatures
    no longer count, and both parties are asked to sign again."""
    if locked.status not in (AssignmentStatus.SIGNING, AssignmentStatus.SIGNED):
        return
    before = current_agreement(locked)
    agreement = _new_version(locked, actor=actor)
    if before is not None and agreement.pk == before.pk:
        return  # nothing the parties read has changed
    if locked.status == AssignmentStatus.SIGNED:
        set_assignment_status(locked, AssignmentStatus.SIGNING, actor=actor)
    emails.send_please_sign(agreement, changed=True)


def _editable(locked: Assignment) -> None:
    if locked.status not in EDITABLE_STATUSES:
        raise AssignmentError(_("Uppdraget är avslutat och kan inte ändras."))
    if hasattr(locked, "completion"):
        raise AssignmentError(_("Verksamheten har redan rapporterat hur det gick; överenskommelsen kan inte ändras nu."))


@transaction.atomic
def update_agreement(assignment: Assignment, values: dict, *, actor, expected_version: int | None = None) -> Assignment:
    locked = lock(assignment, expected_version)
    _editable(locked)
    changed = [f for f in AGREEMENT_FIELDS if f in values and getattr(locked, f) != values[f]]
    if not changed:
        return locked
    for field in changed:
        setattr(locked, field, values[field])
    save(locked, changed)
    log_action("assignments.assignment.edited", actor=actor, obj=locked, data={"fields": changed})
    _after_change(locked, actor=actor)
    return locked


def _check_session(values: dict) -> None:
    if values["ends_at"] <= values["starts_at"]:
        raise AssignmentError(_("Sluttiden måste vara efter starttiden."))


@transaction.atomic
def add_session(assignment: Assignment, values: dict, *, actor, expected_version: int | None = None) -> Session:
    locked = lock(assignment, expected_version)
    _editable(locked)
    _check_session(values)
    session = Session.objects.create(assignment=locked, **{f: values[f] for f in SESSION_FIELDS if f in values})
    save(locked, [])
    log_action("assignments.session.added", actor=actor, obj=locked, data={"date": session.date, "session": session.pk})
    _after_change(locked, actor=actor)
    return session


@transaction.atomic
def update_session(session: Session, values: dict, *, actor, expected_version: int | None = None) -> Session:
    locked = lock(session.assignment, expected_version)
    _editable(locked)
    _check_session(values)
    session = Session.objects.select_for_update().get(pk=session.pk, assignment=locked)
    changed = [f for f in SESSION_FIELDS if f in values and getattr(session, f) != values[f]]
    if not changed:
        return session
    for field in changed:
        setattr(session, field, values[field])
    # A change of time or place after the reminder went out sends the person a new one.
    session.changed_at = timezone.now()
    session.save(update_fields=[*changed, "changed_at"])
    save(locked, [])
    log_action("assignments.session.changed", actor=actor, obj=locked, data={"session": session.pk, "fields": changed})
    _after_change(locked, actor=actor)
    return session


@transaction.atomic
def remove_session(session: Session, *, actor, expected_version: int | None = None) -> None:
    locked = lock(session.assignment, expected_version)
    _editable(locked)
    if locked.sessions.count() <= 1 and locked.status != AssignmentStatus.DRAFTING:
        raise AssignmentError(_("Ett uppdrag behöver minst ett tillfälle. Ställ in uppdraget om det inte blir av."))
    session = Session.objects.select_for_update().get(pk=session.pk, assignment=locked)
    told = locked.status in (AssignmentStatus.SIGNING, AssignmentStatus.SIGNED)
    # The calendar file that takes the session out of the person's calendar, if they had one.
    from assignments.calendar import session_cancellation  # calendar imports services.lifecycle

    ics = session_cancellation(locked, session) if told and locked.session_reminder_sent_at else None
    # A queryset delete: the in-memory copy keeps its pk and fields for the mail.
    Session.objects.filter(pk=session.pk, assignment=locked).delete()
    save(locked, [])
    log_action("assignments.session.removed", actor=actor, obj=locked, data={"date": session.date, "session": session.pk})
    _after_change(locked, actor=actor)
    if told:
        # Out for signing or signed: the parties had the sessions in the agreement they read.
        emails.send_session_removed(locked, session, ics=ics, actor=actor)
