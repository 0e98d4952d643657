"""Every change to an experience resource goes through a function here."""

from __future__ import annotations

import uuid
from datetime import datetime

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import log_action
from accounts.enums import Role
from accounts.models import AuditEntry, User
from accounts.services import grant_role
from registry import emails
from registry.calendar import intake_invitation
from registry.consent import CONSENT_VERSION
from registry.enums import TRANSITIONS, ResourceStatus
from registry.models import ExperienceResource
from registry.signals import resource_erased


class TransitionError(Exception):
    """A change of status that is not allowed from the current status."""


def _link_user(resource: ExperienceResource) -> None:
    """Gives the person an account they sign in to with an e-mailed code (no password).

    Only a coordinator's registration gets here with an address that already has an
    account; even then an account of staff (who sign in with password and MFA) is left alone.
    """
    user = User.objects.filter(email__iexact=resource.email).first()
    if user is not None and user.is_staff_role:
        return
    if user is None:
        user = User.objects.create_user(email=resource.email, full_name=resource.full_name)
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    grant_role(user, Role.RESOURCE)
    resource.user = user
    resource.save(update_fields=["user"])


def submit_application(
    *, data: dict, relations: dict, token: uuid.UUID | None, entered_by=None
) -> tuple[ExperienceResource, bool]:
    """Stores an application. Returns (resource, created); an existing e-mail or token is not stored twice.

    A public application (no `entered_by`) with the address of an existing account stores
    nothing and changes nothing on that account: anyone can type anyone's address. The
    owner gets a mail and decides; (None, False) is returned.
    """
    email = (data.get("email") or "").strip().lower()
    existing = ExperienceResource.objects.filter(submission_token=token).first() if token else None
    if existing is None and email:
        existing = ExperienceResource.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing, False
    if email and entered_by is None and (owner := User.objects.filter(email__iexact=email).first()):
        log_action("registry.resource.application_for_existing_account", obj=owner, data={})
        emails.send_application_for_existing_account(owner)
        return None, False
    try:
        with transaction.atomic():
            resource = ExperienceResource.objects.create(
                **{**data, "email": email},
                status=ResourceStatus.APPLIED,
                consent_version=CONSENT_VERSION,
                consent_at=timezone.now(),
                submission_token=token,
                entered_by=entered_by,
            )
            for name, values in relations.items():
                getattr(resource, name).set(values)
            if email:
                _link_user(resource)
            log_action("registry.resource.applied", obj=resource, data={"entered_by_staff": entered_by is not None})
            emails.send_application_received(resource)
    except IntegrityError:
        # Two submits raced past the check above; the first one won.
        existing = ExperienceResource.objects.filter(submission_token=token).first() if token else None
        existing = existing or ExperienceResource.objects.filter(email__iexact=email).first()
        if existing is None:
            raise
        return existing, False
    return resource, True


@transaction.atomic
def set_resource_status(resource: ExperienceResource, new_status: str, *, actor, reason: str = "") -> ExperienceResource:
    """The one way to change a person's status: guard, lock, save, log, mail."""
    locked = ExperienceResource.objects.select_for_update().get(pk=resource.pk)
    if new_status not in TRANSITIONS[locked.status]:
        raise TransitionError(
            _("Det går inte att ändra status från ”%(old)s” till ”%(new)s”.")
            % {"old": locked.get_status_display(), "new": ResourceStatus(new_status).label}
        )
    if new_status in (ResourceStatus.REJECTED, ResourceStatus.LEFT) and not reason.strip():
        raise TransitionError(_("Skriv ett skäl."))
    old = locked.status
    locked.status = new_status
    if new_status == ResourceStatus.LEFT:
        locked.left_at = timezone.now()
    locked.status_reason = reason.strip() if reason.strip() else locked.status_reason
    locked.save(update_fields=["status", "status_reason", "left_at", "updated_at"])
    log_action(f"registry.resource.{new_status}", actor=actor, obj=locked, data={"from": old, "reason": reason.strip()})
    if new_status == ResourceStatus.ACTIVE and old in (ResourceStatus.APPLIED, ResourceStatus.INTAKE_BOOKED):
        emails.send_activated(locked)
    resource.refresh_from_db()
    return locked


@transaction.atomic
def book_intake(resource: ExperienceResource, *, actor, starts_at: datetime, place: str) -> ExperienceResource:
    locked = ExperienceResource.objects.select_for_update().get(pk=resource.pk)
    if ResourceStatus.INTAKE_BOOKED not in TRANSITIONS[locked.status]:
        raise TransitionError(_("Introduktionssamtal kan bara bokas för den som har anmält intresse."))
    locked.intake_at = starts_at
    locked.intake_place = place
    locked.save(update_fields=["intake_at", "intake_place", "updated_at"])
    set_resource_status(locked, ResourceStatus.INTAKE_BOOKED, actor=actor)
    locked.refresh_from_db()
    ics = intake_invitation(
        uid=f"intake-{locked.pk}", starts_at=starts_at, place=place, summary=_("Introduktionssamtal, Levande bibliotek")
    )
    emails.send_intake_booked(locked, ics)
    resource.refresh_from_db()
    return locked


@transaction.atomic
def record_training(resource: ExperienceResource, *, actor, completed_on) -> None:
    resource.training_completed_on = completed_on
    resource.save(update_fields=["training_completed_on", "updated_at"])
    log_action("registry.resource.training_recorded", actor=actor, obj=resource, data={"date": completed_on})


@transaction.atomic
def save_coordinator_notes(resource: ExperienceResource, *, notes: str) -> None:
    resource.coordinator_notes = notes
    resource.save(update_fields=["coordinator_notes", "updated_at"])


@transaction.atomic
def request_to_leave(resource: ExperienceResource, *, actor) -> None:
    """The person withdraws consent. A coordinator confirms; until then nothing is erased."""
    if resource.leave_requested_at is None:
        resource.leave_requested_at = timezone.now()
        resource.save(update_fields=["leave_requested_at", "updated_at"])
        log_action("registry.resource.leave_requested", actor=actor, obj=resource)


@transaction.atomic
def confirm_leaving(resource: ExperienceResource, *, actor, reason: str) -> ExperienceResource:
    """Ends the person's participation and erases their personal data at once.

    What survives is anonymous: status, dates, perspectives and experience areas, so the
    statistics (how many, which areas, how long) still add up. Fees paid are kept by the
    compensation app under its own retention rules, apart from this record.
    """
    locked = ExperienceResource.objects.select_for_update().get(pk=resource.pk)
    if locked.status != ResourceStatus.LEFT:
        set_resource_status(locked, ResourceStatus.LEFT, actor=actor, reason=reason)
        locked.refresh_from_db()
    erase_personal_data(locked)
    resource.refresh_from_db()
    return locked


def erase_personal_data(resource: ExperienceResource) -> None:
    user = resource.user
    resource.first_name = _("Borttagen")
    resource.last_name = f"#{resource.pk}"
    for field in (
        "email",
        "phone",
        "municipality",
        "languages",
        "story",
        "support_needs",
        "coordinator_notes",
        "intake_place",
        "status_reason",
        "suitable_times",
        "consent_version",
    ):
        setattr(resource, field, "")
    resource.birth_year = None
    resource.intake_at = None
    resource.consent_at = None
    resource.user = None
    resource.left_at = resource.left_at or timezone.now()
    resource.erased_at = timezone.now()
    resource.save()
    resource.contribution_types.clear()
    resource.away_periods.all().delete()
    # Every link the person had ends with them: the events' (registry.events) and the
    # inquiries' (matching) here; the yearly question's link refuses an erased person.
    resource_erased.send(sender=ExperienceResource, resource=resource)
    AuditEntry.objects.erase_values_for(resource)
    if user is not None:
        # The account goes too, unless the person also works in a care unit, say.
        user.role_grants.filter(role=Role.RESOURCE).delete()
        user.__dict__.pop("roles", None)
        if not user.roles:
            AuditEntry.objects.erase_values_for(user)
            AuditEntry.objects.erase_actor_label(user)
            user.delete()
    log_action("registry.resource.erased", obj=resource)
