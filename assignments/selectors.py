"""Reads. Every page that fetches an assignment by id starts from one of these scoped querysets."""

import functools
from datetime import date

from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from assignments.models import Agreement, Assignment, CompletionReport, Session
from config.kept_counts import KeptCounts
from registry.models import ExperienceResource
from requests_app.models import UnitRequest


def _with_details(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return qs.select_related("request__unit", "resource", "contact_user", "completion").prefetch_related(
        "sessions",
        Prefetch(
            "agreements",
            queryset=Agreement.objects.filter(voided_at__isnull=True).prefetch_related("signatures").order_by("-version"),
            to_attr="live_agreements",
        ),
    )


def assignments_for_coordinators() -> QuerySet[Assignment]:
    return _with_details(Assignment.objects.all())


def assignment_rows_for_coordinators(assignments: QuerySet[Assignment]) -> QuerySet:
    """The coordinators' list: only the columns its rows show, as plain rows (no model instances,
    whose construction and audit snapshot cost more than the page's SQL). The live agreement is a
    version and a count of signatures (`signed_by`), read in the same query: the agreement's text
    and the signatures' evidence stay in the database. A page's sessions: `session_days`.

    The unit, the person and the report are each a subquery of one row by key, not a join:
    PostgreSQL then plans the list as one table in its order's index (0.7 ms), where the four
    joins cost 2.5 ms of planning on every view (the rows are the same)."""
    live = Agreement.objects.filter(assignment=OuterRef("pk"), voided_at__isnull=True).order_by("-version")
    person = ExperienceResource.objects.filter(pk=OuterRef("resource_id")).order_by()
    return assignments.values(
        "pk",
        "reference",
        "title",
        "status",
        report=Subquery(CompletionReport.objects.filter(assignment=OuterRef("pk")).order_by().values("status")[:1]),
        unit=Subquery(UnitRequest.objects.filter(pk=OuterRef("request_id")).order_by().values("unit__name")[:1]),
        first_name=Subquery(person.values("first_name")[:1]),
        last_name=Subquery(person.values("last_name")[:1]),
        agreement_version=Subquery(live.values("version")[:1]),
        signed_by=Subquery(live.annotate(n=Count("signatures")).values("n")[:1]),
    )


# The counts under the coordinators' filtered list (config.kept_counts): 17,000 active and two
# million done assignments cost 3-6 ms to count on every view. Forgotten when an assignment or
# a session is saved or deleted (assignments.apps connects `ASSIGNMENT_COUNTS.forget`). The two
# "overdue" filters compare with the clock: never kept.
ASSIGNMENT_COUNTS = KeptCounts("assignments.list", unkept={"overdue_signing", "overdue_report"})


def session_days(ids: list[int]) -> dict[int, list[date]]:
    """For a page of the coordinators' list: each assignment's session dates, in the sessions'
    order. One query of plain SQL (building the ORM's cost more than running it), whatever the
    number of rows; none for no rows."""
    days: dict[int, list[date]] = {}
    if not ids:
        return days
    with connection.cursor() as cursor:
        cursor.execute(_session_days_sql(len(ids)), [int(pk) for pk in ids])
        for assignment_id, day in cursor.fetchall():
            days.setdefault(assignment_id, []).append(day)
    return days


@functools.lru_cache(maxsize=8)
def _session_days_sql(count: int) -> str:
    quote = connection.ops.quote_name
    table, marks = quote(Session._meta.db_table), ", ".join(["%s"] * count)
    # Names from the model, quoted; the ids are parameters. The order is the sessions' own (Meta.ordering, then id).
    return (
        f"SELECT {quote('assignment_id')}, {quote('date')} FROM {table} WHERE {quote('assignment_id')} IN ({marks}) "  # noqa: S608
        f"ORDER BY {quote('date')}, {quote('starts_at')}, {quote('id')}"
    )


def assignments_for_unit_staff(user) -> QuerySet[Assignment]:
    """Only the assignments of the units the person works at."""
    return _with_details(Assignment.objects.filter(request__unit__staff=user))


def own_assignments(user) -> QuerySet[Assignment]:
    """Only the signed-in person's own assignments."""
    return _with_details(Assignment.objects.filter(resource__user=user, resource__user__isnull=False))


def assignments_for_request(unit_request) -> QuerySet[Assignment]:
    return _with_details(Assignment.objects.filter(request=unit_request)).order_by("reference")


def assignments_for_resource(resource) -> QuerySet[Assignment]:
    """The person's assignments, newest first, with what the person's page shows of each: one
    query (the first session's date as a subquery), read through `assignment_by_person`."""
    first_session = Session.objects.filter(assignment=OuterRef("pk")).order_by("date", "starts_at", "pk").values("date")[:1]
    return (
        Assignment.objects.filter(resource=resource)
        .select_related("request__unit")
        .only("reference", "title", "status", "created_at", "request__unit__name")
        .annotate(first_date=Subquery(first_session))
        .order_by("-created_at", "-id")
    )


def live_agreement(assignment: Assignment) -> Agreement | None:
    """The current version, from the prefetch when there is one."""
    if hasattr(assignment, "live_agreements"):
        return assignment.live_agreements[0] if assignment.live_agreements else None
    return assignment.agreements.filter(voided_at__isnull=True).order_by("-version").first()
