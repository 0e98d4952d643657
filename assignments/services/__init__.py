"""Writes to assignments: one function per business action. Views and tasks call these."""

from assignments.services.agreements import (
    add_session,
    current_agreement,
    draft_content,
    remove_session,
    send_for_signing,
    update_agreement,
    update_session,
)
from assignments.services.completion import confirm_completion, dispute_completion, report_completion, resolve_dispute
from assignments.services.errors import (
    AgreementChanged,
    AssignmentError,
    SigningError,
    SigningLocked,
    StaleVersion,
    TransitionError,
)
from assignments.services.lifecycle import cancel, create_from_inquiry, on_choice_confirmed, set_assignment_status
from assignments.services.signing import party_for, sign, start_signing

__all__ = [
    "AgreementChanged",
    "AssignmentError",
    "SigningError",
    "SigningLocked",
    "StaleVersion",
    "TransitionError",
    "add_session",
    "cancel",
    "confirm_completion",
    "create_from_inquiry",
    "current_agreement",
    "dispute_completion",
    "draft_content",
    "on_choice_confirmed",
    "party_for",
    "remove_session",
    "report_completion",
    "resolve_dispute",
    "send_for_signing",
    "set_assignment_status",
    "sign",
    "start_signing",
    "update_agreement",
    "update_session",
]
