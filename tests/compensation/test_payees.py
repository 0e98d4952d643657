import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from compensation.enums import PaidVia, TaxStatus
from compensation.models import FeeLine, Payee
from compensation.services import purge_expired_payout_data
from compensation.validators import normalise_identity_number
from registry.selectors import own_resource
from tests.compensation.factories import amount_model, done_assignment, held

pytestmark = pytest.mark.django_db

VALID = "19121212-1212"
COORDINATION = "19701063-2391"  # samordningsnummer: day + 60


@pytest.mark.parametrize(
    ("value", "expected"),
    [(VALID, "191212121212"), ("191212121212", "191212121212"), (COORDINATION, "197010632391")],
)
def test_valid_identity_numbers(value, expected):
    assert normalise_identity_number(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "19121212-1213",  # wrong checksum
        "121212-1212",  # ten digits: we ask for twelve
        "19900230-1234",  # no 30 February
        "19121212-12a2",
    ],
)
def test_invalid_identity_numbers(value):
    with pytest.raises(ValidationError):
        normalise_identity_number(value)


def make_payee(resource, **kwargs):
    defaults = {
        "legal_name": "Anna Andersson",
        "personnummer": "191212121212",
        "street": "Storgatan 1",
        "postal_code": "58225",
        "city": "Linköping",
        "paid_via": PaidVia.BANK,
        "clearing_number": "8327",
        "bank_account": "9876543210",
        "tax_status": TaxStatus.A_SKATT,
    }
    return Payee.objects.create(resource=resource, **{**defaults, **kwargs})


def test_the_database_holds_no_plaintext(resource_user):
    payee = make_payee(own_resource(resource_user))
    with connection.cursor() as cursor:
        cursor.execute("SELECT personnummer, clearing_number, bank_account FROM compensation_payee WHERE id = %s", [payee.pk])
        row = cursor.fetchone()
    assert "191212121212" not in row[0]
    assert "8327" not in row[1]
    assert "9876543210" not in row[2]
    assert Payee.objects.get(pk=payee.pk).personnummer == "191212121212"


def test_the_audit_log_never_holds_the_numbers(resource_user):
    payee = make_payee(own_resource(resource_user))
    payee.bank_account = "1111222233"
    payee.save()
    logged = str(list(AuditEntry.objects.filter(object_type="compensation.payee").values_list("data", flat=True)))
    for secret in ("191212121212", "8327", "9876543210", "1111222233"):
        assert secret not in logged


def test_old_keys_still_decrypt_after_rotation(resource_user, settings):
    from cryptography.fernet import Fernet

    payee = make_payee(own_resource(resource_user))
    old = list(settings.PAYOUT_ENCRYPTION_KEYS)
    settings.PAYOUT_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old]
    assert Payee.objects.get(pk=payee.pk).personnummer == "191212121212"


def test_person_fills_in_payee_details_and_sees_them_masked(client, login, resource_user):
    login(client, resource_user)
    response = client.post(
        reverse("compensation:own_payee"),
        {
            "legal_name": "Anna Andersson",
            "personnummer": COORDINATION,
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
    payee = Payee.objects.get()
    assert (payee.personnummer, payee.clearing_number, payee.bank_account) == ("197010632391", "83279", "987654321")
    page = client.get(reverse("compensation:own_fees")).content.decode()
    form = client.get(reverse("compensation:own_payee")).content.decode()
    for text in (page, form):
        assert "197010632391" not in text
        assert "987654321" not in text
    assert "••••••••-••91" in page


def test_a_wrong_number_is_shown_beside_the_field_and_nothing_typed_is_lost(client, login, resource_user):
    login(client, resource_user)
    response = client.post(
        reverse("compensation:own_payee"),
        {
            "legal_name": "Anna Andersson",
            "personnummer": "19121212-1213",
            "street": "Storgatan 1",
            "postal_code": "58225",
            "city": "Linköping",
            "tax_status": "a",
            "paid_via": "payroll_register",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["personnummer"]
    assert 'value="Storgatan 1"' in response.content.decode()
    assert Payee.objects.count() == 0


def test_payee_page_is_for_finance_only_and_every_view_is_logged(client, login, personas, resource_user):
    payee = make_payee(own_resource(resource_user))
    url = reverse("compensation:payee", args=[payee.pk])
    for name, user in personas.items():
        if name == "finance":
            continue
        client.logout()
        login(client, user)
        assert client.get(url).status_code == 403, name
    client.logout()
    login(client, personas["finance"])
    response = client.get(url)
    assert response.status_code == 200
    assert "191212121212" in response.content.decode()
    assert AuditEntry.objects.filter(action="compensation.payee.viewed", object_id=str(payee.pk)).count() == 1
    listing = client.get(reverse("compensation:payees")).content.decode()
    assert "191212121212" not in listing
    assert "9876543210" not in listing


def test_retention_sweep_purges_payout_data_years_after_leaving(resource_user, settings):
    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()
    resource = own_resource(resource_user)
    make_payee(resource)
    done_assignment([held(date(2026, 3, 10))], resource=resource)
    resource.left_at = timezone.now() - timedelta(days=365 * 7 + 10)
    resource.save()
    assert purge_expired_payout_data() == 1
    assert Payee.objects.count() == 0
    assert FeeLine.objects.count() == 0


def test_retention_sweep_keeps_data_within_the_period(resource_user):
    resource = own_resource(resource_user)
    make_payee(resource)
    resource.left_at = timezone.now() - timedelta(days=365 * 6)
    resource.save()
    assert purge_expired_payout_data() == 0
    assert Payee.objects.count() == 1


def test_rotation_command_moves_every_payee_to_the_new_key(resource_user, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    payee = make_payee(own_resource(resource_user))
    new = Fernet.generate_key().decode()
    settings.PAYOUT_ENCRYPTION_KEYS = [new, *settings.PAYOUT_ENCRYPTION_KEYS]
    call_command("reencrypt_payees", stdout=io.StringIO())
    settings.PAYOUT_ENCRYPTION_KEYS = [new]
    assert Payee.objects.get(pk=payee.pk).personnummer == "191212121212"


def test_paid_through_the_payroll_register_needs_no_bank_numbers(resource_user):
    payee = make_payee(own_resource(resource_user), paid_via=PaidVia.PAYROLL_REGISTER, clearing_number="", bank_account="")
    payee.refresh_from_db()
    assert (payee.clearing_number, payee.bank_account) == ("", "")
    assert payee.masked_account == str(PaidVia.PAYROLL_REGISTER.label)


def test_the_retention_sweep_is_a_scheduled_task(settings):
    from compensation.tasks import purge_expired_payout_data as task

    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert task.name in schedule
    assert task.delay() is not None
