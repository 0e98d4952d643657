"""Every change to a care unit's request goes through a function here.

Changes that coordinators make from a form carry the version the form was built from. The
row is locked, the version compared, and only then changed: two coordinators acting on the
same request at once never silently overwrite each other; the second is told and sees the
current state.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import log_action
from accounts.enums import Role
from requests_app import emails
from requests_app.enums import REASON_REQUIRED, TRANSITIONS, JoinKind, JoinStatus, RequestStatus
from requests_app.models import CareUnit, RequestCounter, RequestMessage, RequestNote, UnitJoinRequest, UnitRequest
from requests_app.signals import request_status_changed


class RequestError(Exception):
    """Something that cannot be done with this request; the message is for the user."""


class TransitionError(RequestError):
    pass


class StaleVersion(RequestError):
    def __init__(self):
        super().__init__(
            _(
                "Någon annan ändrade förfrågan medan du hade sidan öppen. Sidan visar nu hur den ser ut; "
                "gör om din ändring om den fortfarande behövs."
            )
        )


def _lock(unit_request: UnitRequest, expected_version: int | None) -> UnitRequest:
    locked = UnitRequest.objects.select_for_update().get(pk=unit_request.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion()
    return locked


def _save(unit_request: UnitRequest, fields: list[str]) -> None:
    unit_request.version += 1
    unit_request.save(update_fields=[*fields, "version", "updated_at"])


# --- the unit's form --------------------------------------------------------------------


COPIED_FIELDS = [
    "unit",
    "contact_name",
    "contact_email",
    "contact_phone",
    "kind",
    "kind_other",
    "title",
    "purpose",
    "age_group",
    "languages",
    "other_wishes",
    "people_count",
    "format",
    "location",
    "duration",
    "hours",
    "preparation",
    "is_research",
    "ethics_status",
]


def save_request(
    unit_request: UnitRequest, relations: dict, *, actor, token: uuid.UUID | None = None, submit: bool = False
) -> UnitRequest:
    """Saves a new request or a draft, and submits it if asked.

    A form sent twice (a double click, the back button) carries the same token, and a draft
    that is already submitted is not submitted again: either way one request, one reference.
    """
    if unit_request.pk is None and token and (earlier := UnitRequest.objects.filter(submission_token=token).first()):
        if not _same_form(earlier, unit_request, actor):
            # Someone else's token (another unit's draft, say): it names nothing of theirs.
            # This becomes a request of its own, and the other draft is left as it was.
            token = None
        elif earlier.status != RequestStatus.DRAFT:
            return earlier
        else:
            # Saved as a draft, then sent again from the same form: it is the same request.
            unit_request.pk, unit_request.created_by, unit_request.submission_token = earlier.pk, earlier.created_by, token
    if unit_request.pk is None:
        unit_request.created_by = actor
        unit_request.submission_token = token
        try:
            with transaction.atomic():
                unit_request.save()
                _set_relations(unit_request, relations)
                log_action("requests.request.created", actor=actor, obj=unit_request)
        except IntegrityError:
            if token is None:
                raise
            other = UnitRequest.objects.get(submission_token=token)  # the other click made it
            if not _same_form(other, unit_request, actor):
                raise
            return other
    else:
        with transaction.atomic():
            current = UnitRequest.objects.select_for_update().get(pk=unit_request.pk)
            if current.status != RequestStatus.DRAFT:
                return current  # already sent: a resent draft form changes nothing
            unit_request.version = current.version
            _save(unit_request, [f.name for f in UnitRequest._meta.concrete_fields if f.editable and not f.primary_key])
            _set_relations(unit_request, relations)
    if submit:
        return submit_request(unit_request, actor=actor)
    return unit_request


def _same_form(earlier: UnitRequest, unit_request: UnitRequest, actor) -> bool:
    """A form's one-time token stands for one draft of one unit: it may only be sent again for
    that unit, by someone who works there."""
    return earlier.unit_id == unit_request.unit_id and earlier.unit.staff.filter(pk=actor.pk).exists()


def _set_relations(unit_request: UnitRequest, relations: dict) -> None:
    for name, values in relations.items():
        getattr(unit_request, name).set(values)


def _next_reference(year: int) -> str:
    # The counter row is locked until the submitting transaction ends, so concurrent submits
    # queue here; a submit that fails rolls its number back with it, so there are no gaps.
    RequestCounter.objects.get_or_create(year=year)
    counter = RequestCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"LB-{year}-{counter.last:04d}"


@transaction.atomic
def submit_request(unit_request: UnitRequest, *, actor) -> UnitRequest:
    locked = _lock(unit_request, None)
    if locked.status != RequestStatus.DRAFT:
        return locked
    now = timezone.now()
    locked.reference = _next_reference(timezone.localdate(now).year)
    locked.status = RequestStatus.SUBMITTED
    locked.submitted_at = locked.status_changed_at = now
    _save(locked, ["reference", "status", "submitted_at", "status_changed_at"])
    log_action("requests.request.submitted", actor=actor, obj=locked, data={"reference": locked.reference})
    emails.send_request_received(locked)
    emails.send_new_request_to_coordinators(locked)
    return locked


@transaction.atomic
def copy_request(original: UnitRequest, *, actor) -> UnitRequest:
    """A new draft with the old request's content; dates, answers and the attachment are left out."""
    copy = UnitRequest(copied_from=original, created_by=actor, **{f: getattr(original, f) for f in COPIED_FIELDS})
    copy.save()
    copy.areas.set(original.areas.all())
    copy.perspectives.set(original.perspectives.all())
    log_action("requests.request.copied", actor=actor, obj=copy, data={"from": original.reference})
    return copy


# --- status -----------------------------------------------------------------------------


@transaction.atomic
def set_request_status(
    unit_request: UnitRequest,
    target: str,
    *,
    actor,
    reason: str = "",
    expected_version: int | None = None,
    by_unit: bool = False,
    tell_unit: bool = True,
) -> UnitRequest:
    """The one way a request changes status: guard, lock, change, log, mail.

    tell_unit=False leaves out the unit's status mail, for a caller that sends the unit a
    fuller one of its own (matching says who was chosen when it confirms the match).
    """
    locked = _lock(unit_request, expected_version)
    current = RequestStatus(locked.status)
    target = RequestStatus(target)
    if target == RequestStatus.SUBMITTED:
        raise TransitionError(_("En förfrågan skickas in från verksamhetens formulär."))
    if target not in TRANSITIONS[current]:
        raise TransitionError(
            _("Förfrågan kan inte gå från ”%(from)s” till ”%(to)s”.") % {"from": current.label, "to": target.label}
        )
    if by_unit and target != RequestStatus.WITHDRAWN:
        raise TransitionError(_("Det är samordnarna som ändrar status på förfrågan."))
    reason = reason.strip()
    if target in REASON_REQUIRED and not reason:
        raise RequestError(_("Skriv ett skäl. Verksamheten får läsa det."))
    locked.status = target
    locked.status_reason = reason
    locked.status_changed_at = timezone.now()
    _save(locked, ["status", "status_reason", "status_changed_at"])
    log_action(f"requests.request.{target}", actor=actor, obj=locked, data={"from": current.value, "reason": reason})
    request_status_changed.send(sender=UnitRequest, unit_request=locked, previous=current, actor=actor)
    if target == RequestStatus.NEEDS_INFO:
        # The question is a message in the thread, so the unit's answer lands beside it.
        question = RequestMessage.objects.create(request=locked, author=actor, from_unit=False, body=reason)
        emails.send_message_to_unit(question)
    elif target in (RequestStatus.DECLINED, RequestStatus.MATCHED, RequestStatus.COMPLETED) and tell_unit:
        emails.send_status_to_unit(locked)
    elif target == RequestStatus.WITHDRAWN and by_unit:
        emails.send_withdrawn_to_coordinators(locked)
    return locked


@transaction.atomic
def assign(unit_request: UnitRequest, coordinator, *, actor, expected_version: int | None = None) -> UnitRequest:
    """Take responsibility (coordinator is the actor) or hand the request to a colleague."""
    if coordinator is not None and not coordinator.has_role(Role.COORDINATOR):
        raise RequestError(_("Bara en samordnare kan vara ansvarig."))
    locked = _lock(unit_request, expected_version)
    if locked.responsible_id == (coordinator.pk if coordinator else None):
        return locked
    locked.responsible = coordinator
    _save(locked, ["responsible"])
    log_action(
        "requests.request.assigned",
        actor=actor,
        obj=locked,
        data={"to": coordinator.get_full_name() if coordinator else ""},
    )
    if coordinator is not None and coordinator != actor:
        emails.send_handed_over(locked, by=actor)
    return locked


@transaction.atomic
def add_note(unit_request: UnitRequest, body: str, *, actor) -> RequestNote:
    note = RequestNote.objects.create(request=unit_request, author=actor, body=body.strip())
    log_action("requests.request.note_added", actor=actor, obj=unit_request)
    return note


@transaction.atomic
def send_message(unit_request: UnitRequest, body: str, *, actor, from_unit: bool) -> RequestMessage:
    body = body.strip()
    if not body:
        raise RequestError(_("Skriv ett meddelande."))
    if unit_request.status == RequestStatus.DRAFT:
        raise RequestError(_("Skicka in förfrågan först."))
    message = RequestMessage.objects.create(request=unit_request, author=actor, from_unit=from_unit, body=body)
    log_action(
        "requests.request.message_from_unit" if from_unit else "requests.request.message_to_unit", actor=actor, obj=unit_request
    )
    if from_unit:
        emails.send_message_to_coordinators(message)
        if unit_request.status == RequestStatus.NEEDS_INFO:
            # The unit has answered: the request is back with the coordinators.
            _back_to_triage(unit_request, actor=actor)
    else:
        emails.send_message_to_unit(message)
    return message


def _back_to_triage(unit_request: UnitRequest, *, actor) -> None:
    locked = _lock(unit_request, None)
    if locked.status != RequestStatus.NEEDS_INFO:
        return
    locked.status = RequestStatus.IN_TRIAGE
    locked.status_reason = ""
    locked.status_changed_at = timezone.now()
    _save(locked, ["status", "status_reason", "status_changed_at"])
    log_action("requests.request.in_triage", actor=actor, obj=locked, data={"from": RequestStatus.NEEDS_INFO.value, "reason": ""})


# --- care units and their staff ----------------------------------------------------------


def ask_to_join(user, unit: CareUnit) -> UnitJoinRequest | None:
    """Asks to join an existing unit. Nothing of the unit is visible until it is approved.

    Returns the pending request (the same one when asked twice), or None when the person
    already works there.
    """
    if not unit.is_active:
        raise RequestError(_("Verksamheten finns inte längre."))
    if unit.staff.filter(pk=user.pk).exists():
        return None
    pending = UnitJoinRequest.objects.filter(user=user, unit=unit, kind=JoinKind.EXISTING_UNIT, status=JoinStatus.PENDING)
    if earlier := pending.first():
        return earlier
    try:
        with transaction.atomic():
            join_request = UnitJoinRequest.objects.create(
                kind=JoinKind.EXISTING_UNIT,
                user=user,
                unit=unit,
                name=unit.name,
                organisation=unit.organisation,
                cost_centre=unit.cost_centre,
            )
            log_action("requests.unit.join_requested", actor=user, obj=unit, data={"user": user.email})
            emails.send_unit_requested(join_request)
            if settings.UNIT_MEMBERS_APPROVE_JOINS:
                emails.send_join_to_unit_staff(join_request)
    except IntegrityError:
        return pending.first()  # the other click asked
    return join_request


def may_decide(join_request: UnitJoinRequest, user) -> bool:
    """Coordinators decide every request; someone who works at the unit decides a request to
    join it when the region has turned that on. Never the person who asked."""
    if join_request.user_id == user.pk:
        return False
    if user.has_role(Role.COORDINATOR):
        return True
    return (
        settings.UNIT_MEMBERS_APPROVE_JOINS
        and join_request.kind == JoinKind.EXISTING_UNIT
        and join_request.unit is not None
        and join_request.unit.staff.filter(pk=user.pk).exists()
    )


@transaction.atomic
def ask_for_unit(join_request: UnitJoinRequest, *, actor) -> UnitJoinRequest:
    join_request.user = actor
    join_request.save()
    log_action("requests.unit.requested", actor=actor, obj=join_request, data={"name": join_request.name})
    emails.send_unit_requested(join_request)
    return join_request


@transaction.atomic
def decide_unit_request(join_request: UnitJoinRequest, *, approve: bool, actor) -> None:
    locked = UnitJoinRequest.objects.select_for_update(of=("self",)).select_related("unit").get(pk=join_request.pk)
    if locked.status != JoinStatus.PENDING:
        return
    if not may_decide(locked, actor):
        raise RequestError(_("Du kan inte besluta om den här ansökan."))
    if approve and locked.kind == JoinKind.EXISTING_UNIT:
        if locked.unit is None or not locked.unit.is_active:
            raise RequestError(_("Verksamheten finns inte längre."))
        locked.unit.staff.add(locked.user)
        log_action("requests.unit.staff_joined", actor=actor, obj=locked.unit, data={"user": locked.user.email})
    elif approve:
        unit, _created = CareUnit.objects.get_or_create(
            organisation=locked.organisation,
            name=locked.name,
            defaults={"cost_centre": locked.cost_centre, "postal_address": locked.postal_address},
        )
        unit.staff.add(locked.user)
        locked.unit = unit
    locked.status = JoinStatus.APPROVED if approve else JoinStatus.REJECTED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save()
    log_action(f"requests.unit.request_{locked.status}", actor=actor, obj=locked, data={"name": locked.name})
    emails.send_unit_decided(locked)
