"""A person's history as it reads to a coordinator, built from the audit log."""

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
            "fields": sorted((e.data.get("changes") or {}).keys()) if e.action.endswith(".changed") else [],
        }
        for e in entries[:200]
    ]
