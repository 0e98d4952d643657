"""A person's history as it reads to a coordinator, built from the audit log."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEntry
from registry.models import ExperienceResource

LABELS = {
    "registry.resource.applied": _("Anmälde intresse"),
    "registry.resource.intake_booked": _("Introduktionssamtal bokat"),
    "registry.resource.active": _("Blev aktiv"),
    "registry.resource.paused": _("Pausade"),
    "registry.resource.left": _("Lämnade Levande bibliotek"),
    "registry.resource.rejected": _("Anmälan avböjdes"),
    "registry.resource.leave_requested": _("Bad att få lämna"),
    "registry.resource.erased": _("Personuppgifterna togs bort"),
    "registry.resource.data_exported": _("Laddade ner sina uppgifter"),
    "registry.resource.training_recorded": _("Introduktionsutbildning registrerad"),
    "registry.resource.event_answered": _("Svarade på en inbjudan"),
    "registry.resource.event_place_given": _("Fick en plats från väntelistan"),
    "registry.experienceresource.created": _("Uppgifterna registrerades"),
    "registry.experienceresource.changed": _("Uppgifter ändrades"),
}


def timeline_for(resource: ExperienceResource) -> list[dict]:
    entries = AuditEntry.objects.filter(object_type=resource._meta.label_lower, object_id=str(resource.pk)).exclude(
        action__endswith=".viewed"
    )
    return [
        {
            "when": e.timestamp,
            "label": LABELS.get(e.action, e.action),
            "who": e.actor_label,
            "reason": e.data.get("reason", ""),
            "event": e.data.get("event", ""),
            "fields": _field_labels(e.data.get("changes") or {}) if e.action.endswith(".changed") else [],
        }
        for e in entries[:200]
    ]


def _field_labels(changes: dict) -> list[str]:
    """The changed fields as the form calls them, not as the code does."""
    labels = []
    for name in changes:
        try:
            labels.append(str(ExperienceResource._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            labels.append(name)
    return sorted(labels)
