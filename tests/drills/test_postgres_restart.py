"""Fault drill: PostgreSQL restarts while the app runs (PostgreSQL only).

A restart cuts every connection the app holds. We do the same from a second connection with
`pg_terminate_backend`, between two requests and in the middle of one. With persistent
connections (CONN_MAX_AGE) and CONN_HEALTH_CHECKS the next request notices the dead connection
before using it and opens a new one: no restart of the app. A transaction that was cut leaves
nothing of itself behind.

Django's test client switches off the connection checks a real server runs at the start and
end of each request (it keeps the test's connection); `served()` runs them, as the WSGI
handler does.
"""

from unittest import mock

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import timezone

from accounts.models import AuditEntry
from notifications.models import OutboundEmail
from requests_app import services as request_services
from requests_app.enums import RequestStatus
from requests_app.models import RequestCounter, UnitRequest
from tests.conftest import sign_in
from tests.drills.conftest import ensure_reference_data, needs_postgres
from tests.requests_app.test_form import form_data

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    needs_postgres("cuts the app's connections server-side"),
]

NEW = "/verksamhet/forfragningar/ny/"
CUT = (OperationalError, InterfaceError)


def served(do):
    """One request the way the WSGI handler runs it (request_started / request_finished)."""
    close_old_connections()
    try:
        return do()
    finally:
        close_old_connections()


def restart_postgres() -> int:
    """What a restart does to the app: every other connection to this database is cut (and
    waited for, up to 5 s). Returns how many were cut."""
    db = connection.settings_dict
    params = {"dbname": db["NAME"], "user": db["USER"], "password": db["PASSWORD"], "host": db["HOST"], "port": db["PORT"]}
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as admin:
        row = admin.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    return row[0]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_after_a_restart_the_next_request_succeeds_on_a_new_connection(client, unit, unit_staff, settings):
    db = settings.DATABASES["default"]
    assert db["CONN_HEALTH_CHECKS"] is True
    assert db["CONN_MAX_AGE"] > 0  # connections are kept between requests: why a check is needed
    ensure_reference_data()
    sign_in(client, unit_staff)
    assert served(lambda: client.get("/verksamhet/")).status_code == 200
    before = backend_pid()

    assert restart_postgres() >= 1  # the app's connection (and any other to this database)

    assert served(lambda: client.get("/verksamhet/")).status_code == 200
    assert backend_pid() != before
    # ... and it writes too.
    response = served(lambda: client.post(NEW, form_data(unit)))
    assert response.status_code == 302
    assert UnitRequest.objects.get().status == RequestStatus.SUBMITTED


def test_without_health_checks_the_first_request_after_a_restart_would_fail(client, unit, unit_staff):
    """What the setting buys: the same drill with the check switched off fails once."""
    sign_in(client, unit_staff)
    assert served(lambda: client.get("/verksamhet/")).status_code == 200
    connection.health_check_enabled = False  # until the next connect, which reads the setting again

    restart_postgres()

    with pytest.raises(CUT):
        served(lambda: client.get("/verksamhet/"))
    assert served(lambda: client.get("/verksamhet/")).status_code == 200  # the broken connection was dropped


def test_a_submit_cut_by_a_restart_leaves_no_half_done_change(client, unit, unit_staff):
    ensure_reference_data()
    sign_in(client, unit_staff)
    data = form_data(unit)
    log_action = request_services.log_action

    def restart_after_reference_is_taken(action, **kwargs):
        # Inside the submit's transaction: the counter is up, the reference and the status are
        # written; the audit entry and the mails come next. The restart happens here.
        if action == "requests.request.submitted":
            restart_postgres()
        return log_action(action, **kwargs)

    with mock.patch.object(request_services, "log_action", restart_after_reference_is_taken), pytest.raises(CUT):
        served(lambda: client.post(NEW, data))

    # The draft was saved in its own, earlier transaction; nothing of the submit is left.
    draft = UnitRequest.objects.get()
    assert (draft.status, draft.reference, draft.submitted_at) == (RequestStatus.DRAFT, None, None)
    assert not RequestCounter.objects.filter(last__gt=0).exists()
    assert not AuditEntry.objects.filter(action="requests.request.submitted").exists()
    assert not OutboundEmail.objects.exists()

    # The person presses "send" again (the same form, the same token): it goes through, once.
    response = served(lambda: client.post(NEW, data))

    assert response.status_code == 302
    submitted = UnitRequest.objects.get()
    assert submitted.pk == draft.pk
    assert submitted.status == RequestStatus.SUBMITTED
    assert submitted.reference == f"LB-{timezone.localdate().year}-0001"
    assert RequestCounter.objects.get().last == 1
    assert AuditEntry.objects.filter(action="requests.request.submitted").count() == 1
    assert OutboundEmail.objects.count() == 3  # the unit's contact, its staff, the coordinators
