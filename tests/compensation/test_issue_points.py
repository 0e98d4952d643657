"""Points of issue 11 that no other test held: the seeded prisbasbelopp and administrators
adding a year, the two demo models, the claim deadline, the person's page, finance's payable
summary and the cost reports (each unit sees only its own)."""

import importlib
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assignments.enums import AssignmentStatus
from compensation.calculator import Pricer
from compensation.demo import create_demo_models
from compensation.enums import ClaimKind
from compensation.models import PriceBaseAmount, TravelClaim
from compensation.services import CompensationError, submit_claim
from registry.selectors import own_resource
from tests.assignments.factories import AssignmentFactory, SessionFactory
from tests.compensation.factories import amount_model, done_assignment, held
from tests.factories import CareUnitFactory, UnitRequestFactory

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 10)


def test_the_migration_seeds_prisbasbelopp_2023_to_2026():
    PriceBaseAmount.objects.all().delete()
    importlib.import_module("compensation.migrations.0002_seed_prisbasbelopp").seed(apps, None)
    assert dict(PriceBaseAmount.objects.values_list("year", "amount")) == {
        2023: 52_500,
        2024: 57_300,
        2025: 58_800,
        2026: 59_200,
    }


def test_an_administrator_adds_next_years_prisbasbelopp_and_fees_use_it(client, login, administrator):
    login(client, administrator)
    response = client.post("/admin/compensation/pricebaseamount/add/", {"year": "2027", "amount": "60000"})
    assert response.status_code == 302
    assert PriceBaseAmount.objects.get(year=2027).amount == 60_000
    from tests.compensation.factories import pbb_model

    pbb_model(valid_from=date(2027, 1, 1), name="ersättningsmodell 2027")
    # 3.6 % of 60 000 kr = 2 160 kr for a full day in 2027.
    priced = Pricer().session_fee(date(2027, 2, 1), Decimal(6))
    assert priced.amount_ore == 216000


def test_demo_models_are_one_of_each_style_and_do_not_overlap():
    shares, amounts = create_demo_models()
    assert create_demo_models() == []  # run twice, made once
    share_bands = [line for line in shares.lines.all() if line.kind == "session_fee"]
    amount_bands = [line for line in amounts.lines.all() if line.kind == "session_fee"]
    assert all(b.pbb_percent is not None and b.amount is None for b in share_bands)
    assert all(b.amount is not None and b.pbb_percent is None for b in amount_bands)
    assert not shares.overlapping().exists() and not amounts.overlapping().exists()
    pricer = Pricer()
    # 2025: 1.8 % of 58 800 kr = 1 058.40 -> 1 058 kr; 2026: 900 kr.
    assert pricer.session_fee(date(2025, 6, 2), Decimal(3)).amount_ore == 105800
    assert pricer.session_fee(date(2026, 6, 2), Decimal(3)).amount_ore == 90000


def test_claims_are_refused_after_the_deadline(client, login, resource_user, settings):
    settings.TRAVEL_CLAIM_DAYS = 30
    amount_model()
    resource = own_resource(resource_user)
    assignment = AssignmentFactory(status=AssignmentStatus.DONE, resource=resource)
    session = SessionFactory(assignment=assignment, date=MARCH, starts_at=time(9), ends_at=time(12))
    assignment.done_at = timezone.now() - timedelta(days=30)
    assignment.save()
    ok = TravelClaim(assignment=assignment, session=session, kind=ClaimKind.PARKING, amount=Decimal(50))
    assert submit_claim(ok, actor=resource_user).pk  # the last day is still in time

    assignment.done_at = timezone.now() - timedelta(days=31)
    assignment.save()
    late = TravelClaim(assignment=assignment, session=session, kind=ClaimKind.PARKING, amount=Decimal(50))
    with pytest.raises(CompensationError):
        submit_claim(late, actor=resource_user)
    login(client, resource_user)
    url = reverse("compensation:own_claim", args=[assignment.pk])
    response = client.post(url, {"session": session.pk, "kind": "parking", "amount": "50"})
    assert response.status_code == 302
    assert TravelClaim.objects.count() == 1


def test_the_person_sees_each_line_and_how_it_was_computed(client, login, resource_user):
    amount_model()
    resource = own_resource(resource_user)
    done_assignment([held(MARCH, time(9), time(15))], resource=resource)
    login(client, resource_user)
    page = client.get(reverse("compensation:own_fees")).content.decode()
    assert "Heldag, över 4 timmar: 1\u00a0800\u00a0kr enligt ersättningsmodell 2026" in page


def test_finance_sees_payable_lines_by_cost_centre_unit_person_and_month(client, login, finance, settings):
    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()
    unit = CareUnitFactory(name="Hjärtmottagningen", cost_centre="41777")
    request = UnitRequestFactory(unit=unit)
    done_assignment(
        [held(MARCH), held(date(2026, 3, 17), time(9), time(15)), held(date(2026, 4, 2))],
        request=request,
        resource__first_name="Maja",
        resource__last_name="Lind",
    )
    login(client, finance)
    page = client.get(reverse("compensation:payable")).content.decode()
    march = '<td>41777</td><td>Hjärtmottagningen</td><td>Maja Lind</td><td>2026-03</td><td class="text-end">2</td>'
    april = '<td>41777</td><td>Hjärtmottagningen</td><td>Maja Lind</td><td>2026-04</td><td class="text-end">1</td>'
    assert march + '<td class="text-end">2\u00a0700\u00a0kr</td>' in page
    assert april + '<td class="text-end">900\u00a0kr</td>' in page


def test_cost_reports_for_finance_and_coordinators_and_each_unit_sees_its_own(
    client, login, finance, coordinator, unit, unit_staff
):
    amount_model()
    other = CareUnitFactory(name="Annan mottagning", cost_centre="49999")
    done_assignment([held(MARCH)], request=UnitRequestFactory(unit=unit))
    done_assignment([held(MARCH, time(9), time(15))], request=UnitRequestFactory(unit=other))
    for user in (finance, coordinator):
        login(client, user)
        page = client.get(reverse("compensation:reports") + "?ar=2026").content.decode()
        assert unit.cost_centre in page and "49999" in page
        assert "2\u00a0700\u00a0kr" in page  # the year's total
        client.logout()
    login(client, unit_staff)
    page = client.get(reverse("compensation:unit_costs")).content.decode()
    assert unit.name in page and "900\u00a0kr" in page
    assert "Annan mottagning" not in page and "49999" not in page
    assert client.get(reverse("compensation:reports")).status_code == 403


def test_payee_numbers_are_nowhere_in_the_database_in_plaintext(client, login, resource_user, finance):
    """Not in the registry, the audit log, the outbox or anywhere else: every text column of
    every table is searched after the person saved the form and finance viewed the payee."""
    login(client, resource_user)
    response = client.post(
        reverse("compensation:own_payee"),
        {
            "legal_name": "Anna Andersson",
            "personnummer": "19121212-1212",
            "street": "Storgatan 1",
            "postal_code": "582 25",
            "city": "Linköping",
            "tax_status": "a",
            "paid_via": "bank",
            "clearing_number": "8327-9",
            "bank_account": "987 654 321",
        },
    )
    assert response.status_code == 302
    client.logout()
    login(client, finance)
    payee = own_resource(resource_user).payee
    assert "191212121212" in client.get(reverse("compensation:payee", args=[payee.pk])).content.decode()
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row)
                found += [(table, secret) for secret in ("191212121212", "121212-1212", "987654321") if secret in text]
    assert found == []
