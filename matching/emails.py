"""One function per e-mail about inquiries. Only what the person needs: never unit-internal notes."""

from django.conf import settings
from django.urls import reverse

from matching.models import Inquiry
from notifications.services import queue_email
from requests_app.emails import unit_link, unit_recipients
from requests_app.models import UnitRequest


def _to_person(inquiry: Inquiry, *, key: str, template: str, context: dict | None = None) -> None:
    if not inquiry.resource.email:
        return  # no e-mail: the coordinator phones (the page says so)
    queue_email(
        key=f"{key}:{inquiry.pk}",
        to=inquiry.resource.email,
        template=f"matching/email/{template}",
        context={
            "inquiry": inquiry,
            "request": inquiry.request,
            "resource": inquiry.resource,
            "own_link": settings.SITE_URL + reverse("matching:own_inquiry", args=[inquiry.pk]),
            **(context or {}),
        },
    )


def send_inquiry(inquiry: Inquiry, *, link: str) -> None:
    _to_person(inquiry, key="matching.inquiry", template="inquiry", context={"link": link})


def send_reminder(inquiry: Inquiry, *, link: str) -> None:
    _to_person(inquiry, key="matching.reminder", template="reminder", context={"link": link})


def send_expired(inquiry: Inquiry) -> None:
    _to_person(inquiry, key="matching.expired", template="expired")


def send_chosen(inquiry: Inquiry) -> None:
    _to_person(inquiry, key="matching.chosen", template="chosen")


def send_not_needed(inquiry: Inquiry) -> None:
    _to_person(inquiry, key="matching.not_needed", template="not_needed")


def send_closed(inquiry: Inquiry) -> None:
    _to_person(inquiry, key="matching.closed", template="closed")


def send_withdrawn(inquiry: Inquiry) -> None:
    _to_person(inquiry, key="matching.withdrawn", template="withdrawn")


def send_match_to_unit(unit_request: UnitRequest, chosen: list[Inquiry]) -> None:
    link = unit_link(unit_request)
    for address in unit_recipients(unit_request):
        queue_email(
            key=f"matching.matched:{unit_request.pk}:{address}",
            to=address,
            template="matching/email/matched_unit",
            context={"request": unit_request, "chosen": chosen, "link": link},
        )
