"""Matching's sections on registry and request pages, and what it does when a request closes."""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from matching.enums import InquiryStatus
from matching.forms import ConflictForm
from matching.models import Conflict, Inquiry
from matching.selectors import inquiries_for_request, spread
from matching.services import close_open_inquiries, end_links_of_erased, tell_chosen_withdrawn
from registry.panels import newest
from requests_app.enums import CLOSED_STATUSES, RequestStatus

TIMELINE_LABELS = {
    "matching.inquiry.sent": _("Förfrågan skickad till en erfarenhetsresurs"),
    "matching.inquiry.sent_by_hand": _("Förfrågan skickad till en erfarenhetsresurs (tillagd för hand)"),
    "matching.inquiry.yes": _("En erfarenhetsresurs tackade ja"),
    "matching.inquiry.no": _("En erfarenhetsresurs tackade nej"),
    "matching.inquiry.expired": _("En förfrågan gick ut utan svar"),
    "matching.inquiry.chosen": _("En erfarenhetsresurs valdes"),
    "matching.inquiry.not_needed": _("En erfarenhetsresurs behövdes inte"),
    "matching.inquiry.cancelled": _("En förfrågan till en erfarenhetsresurs stängdes"),
    "matching.inquiry.reminded": _("Påminnelse skickad till en erfarenhetsresurs"),
}


def triage_panel(http_request, unit_request) -> str:
    if unit_request.status in (RequestStatus.SUBMITTED, RequestStatus.IN_TRIAGE, RequestStatus.NEEDS_INFO):
        return ""
    inquiries = list(inquiries_for_request(unit_request))
    return render_to_string(
        "matching/panels/triage.html",
        {
            "req": unit_request,
            "inquiries": inquiries,
            "yes": sum(1 for i in inquiries if i.status in (InquiryStatus.YES, InquiryStatus.CHOSEN)),
            "waiting": sum(1 for i in inquiries if i.status == InquiryStatus.SENT),
        },
        request=http_request,
    )


def unit_panel(http_request, unit_request) -> str:
    if unit_request.status not in (RequestStatus.MATCHED, RequestStatus.COMPLETED):
        return ""
    chosen = unit_request.inquiries.filter(status=InquiryStatus.CHOSEN).select_related("resource")
    return render_to_string("matching/panels/unit.html", {"chosen": chosen}, request=http_request)


# Session key: a conflict form the coordinator sent that was refused, shown again on the person's page.
REFUSED_CONFLICT = "matching.refused_conflict"


def resource_panel(http_request, resource) -> str:
    inquiries, total = newest(
        Inquiry.objects.filter(resource=resource)
        .select_related("request")
        .only("request_id", "status", "sent_at", "comment", "request__reference", "request__title")
        .order_by("-sent_at")
    )
    conflicts = Conflict.objects.filter(resource=resource).select_related("unit")
    refused = http_request.session.pop(REFUSED_CONFLICT, None)
    if refused and refused.get("resource") == resource.pk:
        form = ConflictForm(refused["data"], resource=resource, for_coordinator=True)
        form.is_valid()  # for its errors
    else:
        form = ConflictForm(resource=resource, for_coordinator=True)
    return render_to_string(
        "matching/panels/resource.html",
        {"resource": resource, "inquiries": inquiries, "total": total, "conflicts": conflicts, "conflict_form": form},
        request=http_request,
    )


# The spread under the pool list counts a year of inquiries (a quarter of a million at national
# scale, about 2 s on a loaded machine): counted at most once per SPREAD_SECONDS, not per page view.
SPREAD_CACHE_KEY = "matching.spread"
SPREAD_SECONDS = 300


def spread_panel(http_request) -> str:
    figures = cache.get_or_set(SPREAD_CACHE_KEY, spread, SPREAD_SECONDS)
    # Figures and text only: drawn without the request, so without the context processors (the
    # navigation, the user, the messages) the page's own template has already run once.
    return render_to_string("matching/panels/spread.html", {"spread": figures})


def on_resource_erased(sender, *, resource, **kwargs) -> None:
    end_links_of_erased(resource)


def on_request_status_changed(sender, *, unit_request, previous, actor, **kwargs) -> None:
    if unit_request.status in CLOSED_STATUSES:
        close_open_inquiries(unit_request, actor=actor)
    if unit_request.status == RequestStatus.WITHDRAWN and previous == RequestStatus.MATCHED:
        tell_chosen_withdrawn(unit_request)
