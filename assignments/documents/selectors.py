"""Who may download a signed agreement's PDF: the unit's staff, the person, and coordinators."""

from django.db.models import Q, QuerySet

from accounts.enums import Role
from assignments.models import AgreementDocument


def documents_for(user) -> QuerySet[AgreementDocument]:
    """Every document the user may download; a view fetching one by id starts here (else 404)."""
    documents = AgreementDocument.objects.select_related("agreement__assignment")
    if not user.is_authenticated:
        return documents.none()
    if user.has_role(Role.COORDINATOR):
        return documents
    allowed = Q(pk__in=[])
    if user.has_role(Role.UNIT_STAFF):
        allowed |= Q(agreement__assignment__request__unit__in=user.care_units.values("pk"))
    if user.has_role(Role.RESOURCE):
        allowed |= Q(agreement__assignment__resource__user=user)
    return documents.filter(allowed)
