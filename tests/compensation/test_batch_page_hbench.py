from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compensation.models import FeeLine
from compensation.services import create_batch
from tests.compensation.factories import amount_model, done_assignment, held
from tests.compensation.test_payees import make_payee
from tests.compensation.test_payouts import people_with_fees
from tests.factories import ExperienceResourceFactory

pytestmark = pytest.mark.django_db


def test_the_batch_page_counts_the_people_without_payee_details_not_their_lines(settings, client, login, finance):
    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()
    people_with_fees(1)  # has payee details
    for _ in range(2):  # two lines each, no payee details
        done_assignment([held(date(2026, 3, 10)), held(date(2026, 3, 17))], resource=ExperienceResourceFactory())
    batch = create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), actor=finance)
    assert batch.line_count == 6
    login(client, finance)

    response = client.get(f"/ekonomi/utbetalningar/{batch.pk}/")

    assert "2 personer har inte lämnat utbetalningsuppgifter." in response.content.decode()


def test_the_kept_count_follows_payee_details_given_and_removed(
    settings, client, login, finance, django_capture_on_commit_callbacks
):
    """The count is kept in the cache between page views; giving or removing payee details forgets it."""
    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()
    people = [ExperienceResourceFactory() for _ in range(2)]
    for person in people:
        done_assignment([held(date(2026, 3, 10))], resource=person)
    batch = create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), actor=finance)
    login(client, finance)
    url = f"/ekonomi/utbetalningar/{batch.pk}/"
    assert "2 personer har inte lämnat utbetalningsuppgifter." in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        payee = make_payee(people[0])
    assert "1 person har inte lämnat utbetalningsuppgifter." in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        payee.delete()
    assert "2 personer har inte lämnat utbetalningsuppgifter." in client.get(url).content.decode()


def test_the_kept_count_is_read_once(settings, client, login, finance):
    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()
    done_assignment([held(date(2026, 3, 10))], resource=ExperienceResourceFactory())
    batch = create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), actor=finance)
    login(client, finance)
    url = f"/ekonomi/utbetalningar/{batch.pk}/"
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    counts = [q["sql"] for q in first.captured_queries if "DISTINCT" in q["sql"]]
    assert len(counts) == 1 and not [q for q in second.captured_queries if "DISTINCT" in q["sql"]]


def test_the_kept_count_forgets_lines_the_retention_sweep_deletes(settings, client, login, finance):
    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()
    people = [ExperienceResourceFactory() for _ in range(2)]
    for person in people:
        done_assignment([held(date(2026, 3, 10))], resource=person)
    batch = create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), actor=finance)
    login(client, finance)
    url = f"/ekonomi/utbetalningar/{batch.pk}/"
    assert "2 personer har inte lämnat utbetalningsuppgifter." in client.get(url).content.decode()

    FeeLine.objects.filter(resource=people[0]).delete()  # as purge_expired_payout_data does

    assert "1 person har inte lämnat utbetalningsuppgifter." in client.get(url).content.decode()
