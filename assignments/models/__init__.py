from assignments.models.agreements import Agreement, AgreementDocument, AgreementTemplate, Signature, SigningCode
from assignments.models.assignments import Assignment, CompletionReport, Session

__all__ = [
    "Agreement",
    "AgreementDocument",
    "AgreementTemplate",
    "Assignment",
    "CompletionReport",
    "Session",
    "Signature",
    "SigningCode",
]
