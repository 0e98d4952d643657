"""A person's history as it reads to a coordinator, built from the audit log.

The log records every save; a history needs less. Registering someone writes a row for
the person, one per list of choices and one for the account link; a profile edit writes
one per list too. Here those are folded into the event a person would name ("Anmälde
intresse", "Uppgifter ändrades: Erfarenhetsområden, Perspektiv"), fields that only the
system keeps (the account link, tokens, time stamps) are left out, and fields that a
named event already covers (status, training) are not repeated.
"""

from datetime import timedelta

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditEntry
from registry.models import ExperienceResource

LABELS = {
    "registry.resource.applied": gettext_lazy("Anmälde intresse"),
    "registry.resource.intake_booked": gettext_lazy("Introduktionssamtal bokat"),
    "registry.resource.active": gettext_lazy("Blev aktiv"),
    "registry.resource.paused": gettext_lazy("Pausade"),
    "registry.resource.left": gettext_lazy("Lämnade Levande bibliotek"),
    "registry.resource.rejected": gettext_lazy("Anmälan avböjdes"),
    "registry.resource.leave_requested": gettext_lazy("Bad att få lämna"),
    "registry.resource.erased": gettext_lazy("Personuppgifterna togs bort"),
    "registry.resource.data_exported": gettext_lazy("Laddade ner sina uppgifter"),
    "registry.resource.training_recorded": gettext_lazy("Introduktionsutbildning registrerad"),
    "registry.resource.event_answered": gettext_lazy("Svarade på en inbjudan"),
    "registry.resource.event_place_given": gettext_lazy("Fick en plats från väntelistan"),
    "registry.experienceresource.created": gettext_lazy("Uppgifterna registrerades"),
    "registry.experienceresource.changed": gettext_lazy("Uppgifter ändrades"),
}
CREATED = "registry.experienceresource.created"
CHANGED = "registry.experienceresource.changed"
APPLIED = "registry.resource.applied"
# Kept by the system, or told by a named event of their own: never a row of "changed".
NOT_SHOWN = frozenset(
    {
        "user",
        "user_id",
        "submission_token",
        "updated_at",
        "created_at",
        "entered_by",
        "entered_by_id",
        "consent_version",
        "consent_at",
        "status",
        "status_reason",
        "left_at",
        "leave_requested_at",
        "erased_at",
        "intake_at",
        "intake_place",
        "training_completed_on",
        "last_assignment_on",
    }
)
# Saves that belong to one act (a form saves the person, then each list) are this close.
SAME_ACT = timedelta(minutes=2)


def timeline_for(resource: ExperienceResource) -> list[dict]:
    entries = list(
        AuditEntry.objects.filter(object_type=resource._meta.label_lower, object_id=str(resource.pk))
        .exclude(action__endswith=".viewed")
        .order_by("timestamp", "pk")
        .select_related("actor")[:400]
    )
    application = next((e for e in entries if e.action == APPLIED), None)
    items: list[dict] = []
    for e in entries:
        if e.action == CREATED and application is not None:
            continue  # the application row tells it
        fields = _field_labels(e.data.get("changes") or {}) if e.action == CHANGED else []
        if e.action == CHANGED:
            if not fields:
                continue
            if application is not None and _same_act(application, e):
                continue  # the lists saved together with the application
            previous = items[-1] if items else None
            if previous and previous["action"] == CHANGED and _same_act(previous, e):
                previous["fields"] = sorted(set(previous["fields"]) | set(fields))
                continue
        items.append(
            {
                "action": e.action,
                "when": e.timestamp,
                "actor_id": e.actor_id,
                "label": LABELS.get(e.action, e.action),
                "who": _who(e, resource),
                "reason": e.data.get("reason", ""),
                "event": e.data.get("event", ""),
                "fields": fields,
            }
        )
    items.reverse()  # newest first
    return items[:200]


def _same_act(earlier, entry: AuditEntry) -> bool:
    """`earlier` (an entry or an item) and `entry` are saves of one act by one person."""
    if isinstance(earlier, dict):
        actor_id, when = earlier["actor_id"], earlier["when"]
    else:
        actor_id, when = earlier.actor_id, earlier.timestamp
    return actor_id == entry.actor_id and abs(entry.timestamp - when) <= SAME_ACT


def _who(entry: AuditEntry, resource: ExperienceResource) -> str:
    if entry.actor_id is None:
        return entry.actor_label
    if entry.actor_id == resource.user_id:
        return _("personen själv")
    return entry.actor.get_full_name() if entry.actor else entry.actor_label


def _field_labels(changes: dict) -> list[str]:
    """The changed fields as the form calls them, not as the code does."""
    labels = []
    for name in changes:
        if name in NOT_SHOWN:
            continue
        try:
            labels.append(capfirst(str(ExperienceResource._meta.get_field(name.removesuffix("_id")).verbose_name)))
        except FieldDoesNotExist:
            continue  # a field that no longer exists: nothing a person would recognise
    return sorted(labels)
