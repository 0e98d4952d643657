import csv
import io
import re
from datetime import date, time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from compensation import exports
from compensation.enums import BatchStatus, LineKind, LineStatus, TaxStatus
from compensation.models import FeeLine, FrozenLine, PayoutBatch
from compensation.services import CompensationError, create_batch, mark_exported, mark_paid, reverse_line
from tests.compensation.factories import amount_model, done_assignment, held
from tests.compensation.test_payees import make_payee
from tests.factories import ExperienceResourceFactory

pytestmark = pytest.mark.django_db

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def approved(settings):
    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()


def people_with_fees(n=3, tax=TaxStatus.A_SKATT):
    out = []
    for i in range(n):
        resource = ExperienceResourceFactory(first_name=f"Person{i}", last_name="Test")
        make_payee(resource, legal_name=f"Person{i} Test", personnummer="191212121212", tax_status=tax)
        done_assignment([held(date(2026, 3, 10)), held(date(2026, 3, 17), time(9, 0), time(15, 0))], resource=resource)
        out.append(resource)
    return out


def test_a_batch_takes_approved_lines_once(approved, finance):
    people_with_fees(2)
    batch = create_batch(period_start=MARCH[0], period_end=MARCH[1], actor=finance)
    assert batch.line_count == 4
    assert batch.total_ore == 2 * (90000 + 180000)
    with pytest.raises(CompensationError):
        create_batch(period_start=MARCH[0], period_end=MARCH[1], actor=finance)
    assert PayoutBatch.objects.count() == 1


def test_lines_waiting_for_attest_are_not_paid(finance):
    amount_model()
    people_with_fees(1)
    assert set(FeeLine.objects.values_list("status", flat=True)) == {LineStatus.COMPUTED}
    with pytest.raises(CompensationError):
        create_batch(period_start=MARCH[0], period_end=MARCH[1], actor=finance)


def test_the_same_form_twice_makes_one_batch(approved, finance):
    import uuid

    people_with_fees(1)
    token = uuid.uuid4()
    first = create_batch(period_start=MARCH[0], period_end=MARCH[1], actor=finance, token=token)
    second = create_batch(period_start=MARCH[0], period_end=MARCH[1], actor=finance, token=token)
    assert first.pk == second.pk


def test_exported_then_paid_and_paid_lines_are_never_edited(approved, finance):
    people_with_fees(1)
    batch = create_batch(period_start=MARCH[0], period_end=MARCH[1], actor=finance)
    with pytest.raises(CompensationError):
        mark_paid(batch, actor=finance)
    batch = mark_paid(mark_exported(batch, actor=finance), actor=finance)
    assert batch.status == BatchStatus.PAID
    line = FeeLine.objects.filter(batch=batch).first()
    line.amount_ore = 1
    with pytest.raises(FrozenLine):
        line.save()
    with pytest.raises(FrozenLine):
        line.delete()


def test_a_mistake_is_corrected_by_a_reversing_line_in_a_later_batch(approved, finance):
    people_with_fees(1)
    batch = mark_exported(create_batch(period_start=MARCH[0], period_end=MARCH[1], actor=finance), actor=finance)
    line = FeeLine.objects.filter(batch=batch).order_by("pk").first()
    reversal = reverse_line(line, reason="Fel tillfälle", actor=finance)
    assert reversal.amount_ore == -line.amount_ore
    assert reversal.batch_id is None
    with pytest.raises(CompensationError):
        reverse_line(line, reason="igen", actor=finance)
    today = reversal.on_date
    later = create_batch(period_start=today, period_end=today, actor=finance)
    assert later.total_ore == -line.amount_ore


@settings(max_examples=15, deadline=None)
@given(amounts=st.lists(st.integers(min_value=-500_000, max_value=5_000_000), min_size=1, max_size=30))
def test_batch_sum_equals_the_sum_of_its_lines(amounts):
    from tests.assignments.factories import AssignmentFactory

    with transaction.atomic():
        assignment = AssignmentFactory()
        FeeLine.objects.bulk_create(
            FeeLine(
                assignment=assignment,
                resource=assignment.resource,
                unit=assignment.request.unit,
                cost_centre="41230",
                kind=LineKind.FEE,
                on_date=date(2026, 3, 5),
                amount_ore=a * 100,
                explanation="x",
                status=LineStatus.APPROVED,
            )
            for a in amounts
        )
        batch = create_batch(period_start=MARCH[0], period_end=MARCH[1], actor=None)
        assert batch.total_ore == sum(a * 100 for a in amounts)
        assert batch.line_count == len(amounts)
        transaction.set_rollback(True)


# --- files -------------------------------------------------------------------------------


@pytest.fixture
def batch(approved, finance):
    people_with_fees(2)
    f_person = people_with_fees(1, tax=TaxStatus.F_SKATT)[0]
    f_person.payee.legal_name = "Fia Fskatt"
    f_person.payee.save()
    return create_batch(period_start=MARCH[0], period_end=MARCH[1], actor=finance)


def test_payroll_csv_parses_back(batch):
    data = exports.csv_bytes(batch)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == exports.HEADER
    assert len(rows) == 1 + 4  # the F-skatt person's two lines are not in the payroll file
    first = rows[1]
    assert first[0] == "191212121212"
    assert first[2] == "1310"
    assert first[4] in ("900,00", "1800,00")
    assert first[6] == "2026-03"
    assert re.fullmatch(r"LB-2026-\d{4}-1", first[7])
    total = sum(Decimal(r[4].replace(",", ".")) for r in rows[1:])
    assert total == Decimal(2 * 2700)


def test_payroll_xlsx_parses_back_with_openpyxl(batch):
    workbook = load_workbook(io.BytesIO(exports.xlsx_bytes(batch)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == exports.HEADER
    assert len(rows) == 5
    assert sum(r[4] for r in rows[1:]) == 5400


def parse_sie(data: bytes) -> dict:
    text = data.decode("cp437")
    transactions = re.findall(r"#TRANS (\d+) \{([^}]*)\} (-?\d+\.\d\d)", text)
    return {
        "sietyp": re.search(r"#SIETYP (\d)", text).group(1),
        "trans": [(acc, obj.strip(), Decimal(amount)) for acc, obj, amount in transactions],
        "objects": re.findall(r'#OBJEKT 1 "([^"]+)"', text),
    }


def test_sie_ledger_reads_back_and_balances(batch):
    sie = parse_sie(exports.sie_bytes(batch))
    assert sie["sietyp"] == "4"
    assert sum(amount for _acc, _obj, amount in sie["trans"]) == 0
    costs = [t for t in sie["trans"] if t[0] == "7290"]
    assert sum(t[2] for t in costs) == Decimal(batch.total_ore) / 100
    assert all(obj.startswith('1 "') for _acc, obj, _amount in costs)


def test_pdf_summary_lists_f_skatt_separately(batch):
    pdf = exports.pdf_bytes(batch)
    assert pdf.startswith(b"%PDF")


def test_every_export_is_byte_identical_the_second_time(batch, client, login, finance):
    login(client, finance)
    for fmt in ("csv", "xlsx", "sie", "pdf"):
        url = reverse("compensation:batch_export", args=[batch.pk, fmt])
        first = b"".join(client.get(url).streaming_content) if fmt == "csv" else client.get(url).content
        second = b"".join(client.get(url).streaming_content) if fmt == "csv" else client.get(url).content
        assert first == second, fmt
        assert len(first) > 100
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_the_copy_export_is_the_python_export_byte_for_byte(batch, finance):
    # Make the rows awkward: a name with the delimiter and a quote, a negative amount, a fraction.
    person = FeeLine.objects.filter(batch=batch).first().resource
    person.payee.legal_name = 'Anna "Nina" Berg; Lund'
    person.payee.save()
    line = FeeLine.objects.filter(batch=batch).order_by("pk").first()
    # A reference and a cost centre with the delimiter and a quote (the reference is added in Python).
    line.assignment.reference = 'LB-2026;"1"'
    line.assignment.save()
    FeeLine.objects.filter(pk=line.pk).update(cost_centre='41;"0"')
    line.refresh_from_db()
    mark_exported(batch, actor=finance)
    reverse_line(line, reason="fel", actor=finance)
    later = create_batch(period_start=date(2000, 1, 1), period_end=date(2100, 1, 1), actor=finance)
    for b in (batch, later):
        assert b"".join(exports._csv_chunks_copy(b)) == b"".join(exports._csv_chunks_python(b))
