"""List pages run the same number of queries for one row as for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.audit import log_action
from tests.factories import ExperienceResourceFactory


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("rows", [1, 30])
def test_resource_list_queries(client, coordinator, login, rows):
    for _ in range(rows):
        ExperienceResourceFactory()
    login(client, coordinator)
    # 13 for the list, 2 for the spread of inquiries under it (matching's panel).
    assert count_queries(client, "/samordning/resurser/") == 12


@pytest.mark.parametrize("rows", [1, 30])
def test_audit_log_queries(client, administrator, login, rows):
    for i in range(rows):
        log_action("test.event", data={"changes": {"phone": [str(i), str(i + 1)]}})
    login(client, administrator)
    assert count_queries(client, "/granskningslogg/") == 6
