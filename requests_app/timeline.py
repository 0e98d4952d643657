"""A request's history as it reads to people, built from the audit log."""

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.models import AuditEntry
from requests_app.enums import RequestStatus
from requests_app.models import UnitRequest

LABELS = {
    "requests.request.created": _("Utkast skapat"),
    "requests.request.copied": _("Skapad som kopia"),
    "requests.request.submitted": _("Skickades in"),
    **{f"requests.request.{s.value}": s.label for s in RequestStatus if s not in (RequestStatus.DRAFT, RequestStatus.SUBMITTED)},
    "requests.request.assigned": _("Ansvarig samordnare ändrades"),
    "requests.request.note_added": _("Intern anteckning"),
    "requests.request.message_to_unit": _("Samordnarna skrev till verksamheten"),
    "requests.request.message_from_unit": _("Verksamheten skrev"),
}
# What the unit sees of its request's history: not who inside the team holds it, nor notes.
UNIT_VISIBLE = {k for k in LABELS if k not in ("requests.request.assigned", "requests.request.note_added")}


def timeline_for(unit_request: UnitRequest, *, for_unit: bool = False) -> list[dict]:
    entries = AuditEntry.objects.filter(object_type=unit_request._meta.label_lower, object_id=str(unit_request.pk))
    if for_unit:
        entries = entries.filter(action__in=UNIT_VISIBLE)
    entries = entries.select_related("actor").prefetch_related("actor__role_grants")
    return [
        {
            "when": e.timestamp,
            "label": LABELS.get(e.action, e.action),
            "who": _who(e, for_unit=for_unit),
            "reason": e.data.get("reason", ""),
            "to": e.data.get("to", ""),
        }
        for e in entries.order_by("timestamp", "pk")[:300]
    ]


def _who(entry: AuditEntry, *, for_unit: bool) -> str:
    """Coordinators see each other's names. The unit sees roles: its messages come from
    "Samordnarna", so a coordinator's own address has no place on its page."""
    actor = entry.actor
    if actor is None:
        return "" if for_unit else entry.actor_label
    is_coordinator = any(g.role == Role.COORDINATOR for g in actor.role_grants.all())
    if for_unit:
        return gettext_now("Samordnarna") if is_coordinator else (actor.full_name or gettext_now("Verksamheten"))
    return actor.get_full_name()
