"""Every change to fees, claims, payees and batches goes through a function here."""

from compensation.services.descriptions import agreement_fee_text, fee_description
from compensation.services.fees import (
    CompensationError,
    approve_lines,
    compute_fees,
    decide_claim,
    mark_no_fee,
    on_assignment_done,
    submit_claim,
    unmark_no_fee,
)
from compensation.services.payouts import create_batch, mark_exported, mark_paid, reverse_line
from compensation.services.retention import purge_expired_payout_data

__all__ = [
    "CompensationError",
    "agreement_fee_text",
    "approve_lines",
    "compute_fees",
    "create_batch",
    "decide_claim",
    "fee_description",
    "mark_exported",
    "mark_no_fee",
    "mark_paid",
    "on_assignment_done",
    "purge_expired_payout_data",
    "reverse_line",
    "submit_claim",
    "unmark_no_fee",
]
