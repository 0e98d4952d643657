"""Helpers for assignment tests: read the e-mailed signing code, walk an assignment to a state."""

import re

from django.core import mail

from assignments.enums import SessionOutcome
from assignments.models import Assignment
from assignments.services import (
    current_agreement,
    report_completion,
    send_for_signing,
    sign,
    start_signing,
    update_agreement,
)


def last_code(to: str) -> str:
    for message in reversed(mail.outbox):
        if message.to == [to] and "kod" in message.subject.lower():
            return re.search(r"\b(\d{6})\b", message.body).group(1)
    raise AssertionError(f"no signing code mailed to {to}")


def sign_as(assignment: Assignment, user) -> None:
    start_signing(assignment, user)
    agreement = current_agreement(assignment)
    sign(assignment, user, agreement_id=agreement.pk, shown_hash=agreement.content_hash, data={"code": last_code(user.email)})


def to_signing(assignment: Assignment, actor) -> Assignment:
    update_agreement(assignment, {"role": "Berättar om sin erfarenhet och svarar på frågor."}, actor=actor)
    send_for_signing(assignment, actor=actor)
    assignment.refresh_from_db()
    return assignment


def to_signed(assignment: Assignment, unit_user, resource_user, actor) -> Assignment:
    to_signing(assignment, actor)
    sign_as(assignment, resource_user)
    sign_as(assignment, unit_user)
    assignment.refresh_from_db()
    return assignment


def report_all_held(assignment: Assignment, actor):
    outcomes = {s.pk: (SessionOutcome.HELD, None) for s in assignment.sessions.all()}
    return report_completion(assignment, outcomes, actor=actor)
