"""A person's own data, for GDPR art. 15 (access) and 20 (portability)."""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from accounts.models import AuditEntry
from registry.models import ExperienceResource

FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "preferred_contact",
    "municipality",
    "birth_year",
    "languages",
    "story",
    "support_needs",
    "can_on_site",
    "can_digital",
    "max_assignments_per_month",
    "suitable_times",
    "status",
    "training_completed_on",
    "consent_version",
    "consent_at",
    "created_at",
]


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def export_data(resource: ExperienceResource) -> dict:
    """Everything we hold about the person, coordinators' notes included (the right of access covers them)."""
    history = AuditEntry.objects.filter(object_type=resource._meta.label_lower, object_id=str(resource.pk)).exclude(
        action__endswith=".viewed"
    )
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {name: _plain(getattr(resource, name)) for name in FIELDS},
        "coordinator_notes": resource.coordinator_notes,
        "perspectives": [str(p) for p in resource.perspectives.all()],
        "experience_areas": [a.name for a in resource.areas.all()],
        "ways_of_contributing": [c.name for c in resource.contribution_types.all()],
        "periods_away": [
            {"from": _plain(p.starts_on), "until": _plain(p.ends_on), "note": p.note} for p in resource.away_periods.all()
        ],
        "events": [
            {
                "title": i.event.title,
                "starts_at": _plain(i.event.starts_at),
                "answer": i.response,
                "attended": i.attended,
            }
            for i in resource.event_invitations.select_related("event")
        ],
        "history": [{"when": e.timestamp.isoformat(), "event": e.action} for e in history],
        "profile_views_by_staff": AuditEntry.objects.filter(
            object_type=resource._meta.label_lower, object_id=str(resource.pk), action__endswith=".viewed"
        ).count(),
    }


def export_pdf(resource: ExperienceResource) -> bytes:
    html = render_to_string("registry/export.html", {"resource": resource, "data": export_data(resource)})
    return HTML(string=html).write_pdf()
