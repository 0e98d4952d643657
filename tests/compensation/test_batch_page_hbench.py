from datetime import date

import pytest

from compensation.services import create_batch
from tests.compensation.factories import amount_model, done_assignment, held
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
