"""An assignment's history as it reads to a coordinator, built from the audit log."""

from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEntry
from assignments.enums import AssignmentStatus, Party
from assignments.models import Assignment

LABELS = {
    "assignments.assignment.created": _("Uppdraget skapades när valet bekräftades"),
    **{f"assignments.assignment.{s.value}": s.label for s in AssignmentStatus},
    "assignments.assignment.edited": _("Överenskommelsen ändrades"),
    "assignments.session.added": _("Ett tillfälle lades till"),
    "assignments.session.changed": _("Ett tillfälle ändrades"),
    "assignments.session.removed": _("Ett tillfälle togs bort"),
    "assignments.agreement.version": _("Ny version av överenskommelsen"),
    "assignments.agreement.code_sent": _("Kod för underskrift skickad"),
    "assignments.agreement.code_wrong": _("Fel kod vid underskrift"),
    "assignments.agreement.signed": _("Underskriven"),
    "assignments.agreement.reminded": _("Påminnelse om underskrift skickad"),
    "assignments.assignment.session_reminder": _("Påminnelse före första tillfället skickad"),
    "assignments.session.person_told": _("Personen fick besked om ändrat tillfälle"),
    "assignments.completion.reported": _("Verksamheten rapporterade hur det gick"),
    "assignments.completion.confirmed": _("Personen bekräftade rapporten"),
    "assignments.completion.disputed": _("Personen ifrågasatte rapporten"),
    "assignments.completion.resolved": _("Samordnare avgjorde"),
}


def timeline_for(assignment: Assignment) -> list[dict]:
    entries = AuditEntry.objects.filter(object_type=assignment._meta.label_lower, object_id=str(assignment.pk))
    rows = []
    for e in entries.order_by("timestamp", "pk")[:300]:
        data = e.data or {}
        detail = data.get("reason", "")
        if e.action == "assignments.agreement.version":
            detail = _("version %(v)s") % {"v": data.get("version")}
        elif e.action == "assignments.agreement.signed":
            party = data.get("party", "")
            detail = f"{Party(party).label if party in Party.values else party}, " + str(
                _("version %(v)s") % {"v": data.get("version")}
            )
        rows.append({"when": e.timestamp, "label": LABELS.get(e.action, e.action), "who": e.actor_label, "detail": detail})
    return rows
