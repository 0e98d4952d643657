"""Finance's list pages at national scale: paged by keyset, sums from one aggregate or kept figures."""

import re
from datetime import date

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compensation import selectors
from compensation.enums import LineStatus
from compensation.models import BatchCostCentre, FeeLine
from compensation.money import format_kr
from compensation.services import create_batch
from compensation.views import finance as finance_views
from tests.compensation.factories import amount_model, done_assignment, held
from tests.compensation.test_payouts import people_with_fees
from tests.factories import CareUnitFactory, ExperienceResourceFactory, UnitRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(settings):
    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()


def _open_lines_in_two_units_and_months():
    """Five people, two units (cost centres), lines in March and April: eight groups."""
    units = [CareUnitFactory(name="Ögonkliniken", cost_centre="41000"), CareUnitFactory(name="Barnkliniken", cost_centre="42000")]
    for i in range(5):
        request = UnitRequestFactory(unit=units[i % 2])
        resource = ExperienceResourceFactory(first_name=f"Namn{i}", last_name="Efternamn")
        days = [held(date(2026, 3, 10)), held(date(2026, 3, 17))] + ([held(date(2026, 4, 7))] if i < 3 else [])
        done_assignment(days, request=request, resource=resource)


def _rows(html):
    return re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td><td>(\d{4}-\d\d)</td>", html)


def _query_count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_open_lines_are_paged_in_order_and_every_group_is_on_exactly_one_page(approved, client, login, finance, monkeypatch):
    monkeypatch.setattr(finance_views, "PAGE", 3)
    _open_lines_in_two_units_and_months()
    login(client, finance)
    seen, url, counts = [], reverse("compensation:payable"), set()
    # The open lines' count and sum are kept in the cache from the first view on (one query fewer
    # after it; selectors.open_lines_total): every page is counted with them kept.
    client.get(url)
    for _ in range(10):
        count, html = _query_count(client, url)
        counts.add(count)
        seen += _rows(html)
        nxt = re.search(r'href="(\?kst=[^"]+)">Nästa<', html)
        if not nxt:
            break
        url = reverse("compensation:payable") + nxt.group(1).replace("&amp;", "&")
        assert "Första sidan" in client.get(url).content.decode()
    assert len(seen) == 8 and len(set(seen)) == 8
    assert [row[0] for row in seen] == sorted(row[0] for row in seen)  # by cost centre first
    # Every group the whole summary has, none left out, none twice.
    expected = {
        (r["cost_centre"], r["unit__name"], f"{r['resource__first_name']} {r['resource__last_name']}", f"{r['month']:%Y-%m}")
        for r in selectors.payable_summary()
    }
    assert set(seen) == expected
    assert len(counts) == 1  # a later page costs the queries of the first


def test_the_open_total_counts_every_open_line_not_only_the_page(approved, client, login, finance, monkeypatch):
    monkeypatch.setattr(finance_views, "PAGE", 2)
    _open_lines_in_two_units_and_months()
    open_lines = FeeLine.objects.filter(status=LineStatus.APPROVED, batch__isnull=True)
    total = open_lines.aggregate(total=Sum("amount_ore"))["total"]
    login(client, finance)
    html = client.get(reverse("compensation:payable")).content.decode()
    assert len(_rows(html)) == 2
    assert f"{open_lines.count()} rader, totalt {format_kr(total)}" in html


def test_the_kept_open_total_follows_every_change_of_the_open_lines(approved, client, login, finance):
    """Lines computed (bulk), attested (update), taken into a batch (update), reversed (save):
    the page shows each change at once, not when the kept figure expires."""
    from compensation.services import approve_lines, mark_exported, reverse_line

    login(client, finance)

    def shown():
        html = client.get(reverse("compensation:payable")).content.decode()
        return re.search(r"Attesterade rader som inte är utbetalda: (\d+) rad(?:er)?, totalt ([^.]+)\.", html).groups()

    def actual():
        figures = FeeLine.objects.filter(status=LineStatus.APPROVED, batch__isnull=True).aggregate(
            n=Count("*"), t=Sum("amount_ore")
        )
        return str(figures["n"]), format_kr(figures["t"] or 0)

    assert shown() == actual() == ("0", format_kr(0))
    people_with_fees(1)  # computed and attested at once (bulk_create)
    assert shown() == actual() == ("2", format_kr(270000))
    batch = create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), actor=finance)
    assert shown() == actual() == ("0", format_kr(0))
    mark_exported(batch, actor=finance)
    reverse_line(FeeLine.objects.filter(batch=batch).order_by("pk").first(), reason="Fel datum", actor=finance)
    assert shown() == actual() == ("1", format_kr(-90000))
    FeeLine.objects.filter(batch__isnull=True).update(status=LineStatus.COMPUTED)
    selectors.forget_open_lines_total()  # what each service's bulk write does
    assert shown() == actual() == ("0", format_kr(0))
    approve_lines(FeeLine.objects.filter(status=LineStatus.COMPUTED), actor=finance)
    assert shown() == actual() == ("1", format_kr(-90000))


def test_a_page_cursor_that_is_not_one_starts_from_the_beginning(approved, client, login, finance):
    _open_lines_in_two_units_and_months()
    login(client, finance)
    first = client.get(reverse("compensation:payable")).content.decode()
    for query in (
        "?kst=41000&enhet=x&person=1&manad=2026-03",
        "?kst=41000&enhet=1&person=1&manad=2026-13",
        "?kst=%00&enhet=1&person=1&manad=2026-03",
    ):
        response = client.get(reverse("compensation:payable") + query)
        assert response.status_code == 200
        assert _rows(response.content.decode()) == _rows(first)


def test_the_open_lines_query_count_does_not_grow(approved, client, login, finance):
    login(client, finance)
    people_with_fees(1)
    one, _ = _query_count(client, reverse("compensation:payable"))
    _open_lines_in_two_units_and_months()
    many, _ = _query_count(client, reverse("compensation:payable"))
    assert one == many


def test_a_batch_keeps_its_sums_per_cost_centre_equal_to_its_lines(approved, finance):
    _open_lines_in_two_units_and_months()
    batch = create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 4, 30), actor=finance)
    from_lines = {
        (r["cost_centre"], r["unit_id"]): (r["n"], r["total"])
        for r in FeeLine.objects.filter(batch=batch)
        .values("cost_centre", "unit_id")
        .annotate(n=Count("pk"), total=Sum("amount_ore"))
    }
    kept = {(k.cost_centre, k.unit_id): (k.line_count, k.total_ore) for k in BatchCostCentre.objects.filter(batch=batch)}
    assert kept == from_lines and len(kept) == 2
    assert sum(total for _n, total in kept.values()) == batch.total_ore


def test_a_batch_page_shows_its_lines_a_page_at_a_time_with_constant_queries(approved, client, login, finance, monkeypatch):
    monkeypatch.setattr(finance_views, "PAGE", 4)
    people_with_fees(1)
    small = create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), actor=finance)
    _open_lines_in_two_units_and_months()
    big = create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 4, 30), actor=finance)
    login(client, finance)
    one, _ = _query_count(client, reverse("compensation:batch", args=[small.pk]))
    many, html = _query_count(client, reverse("compensation:batch", args=[big.pk]))
    assert one == many
    expected = {
        (line.on_date.isoformat(), line.assignment.reference, line.resource.full_name)
        for line in FeeLine.objects.filter(batch=big).select_related("assignment", "resource")
    }
    url, pages = reverse("compensation:batch", args=[big.pk]), []
    for _ in range(10):
        html = client.get(url).content.decode()
        pages.append(re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)</td><td>([^<]*)</td><td>([^<]*)</td>", html))
        nxt = re.search(r'href="\?efter=(\d+)">Nästa<', html)
        if not nxt:
            break
        url = reverse("compensation:batch", args=[big.pk]) + f"?efter={nxt.group(1)}"
        assert "Första sidan" in client.get(url).content.decode()
    assert [len(page) for page in pages] == [4, 4, 4, 1]
    assert {row for page in pages for row in page} == expected and len(expected) == 13


def test_a_batch_s_sums_per_cost_centre_are_on_their_own_paged_page(approved, client, login, finance):
    _open_lines_in_two_units_and_months()
    batch = create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 4, 30), actor=finance)
    login(client, finance)
    url = reverse("compensation:batch_cost_centres", args=[batch.pk])
    assert url in client.get(reverse("compensation:batch", args=[batch.pk])).content.decode()
    count, html = _query_count(client, url)
    for kept in BatchCostCentre.objects.filter(batch=batch).select_related("unit"):
        cells = f'<td>{kept.cost_centre}</td><td>{kept.unit.name}</td><td class="text-end">{kept.line_count}</td>'
        assert cells + f'<td class="text-end">{format_kr(kept.total_ore)}</td>' in html
    people_with_fees(3)
    other = create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), actor=finance)
    assert _query_count(client, reverse("compensation:batch_cost_centres", args=[other.pk]))[0] == count


def test_the_batches_list_is_paged_newest_first(approved, client, login, finance, monkeypatch):
    monkeypatch.setattr(finance_views, "PAGE", 2)
    people_with_fees(1)
    refs = [create_batch(period_start=date(2026, 3, d), period_end=date(2026, 3, d), actor=finance).reference for d in (10, 17)]
    _open_lines_in_two_units_and_months()
    refs.append(create_batch(period_start=date(2026, 4, 1), period_end=date(2026, 4, 30), actor=None).reference)
    login(client, finance)
    first = client.get(reverse("compensation:batches")).content.decode()
    second = client.get(reverse("compensation:batches") + "?page=2").content.decode()
    assert "Sida 1 av 2" in first and "Sida 2 av 2" in second
    assert refs[2] in first and refs[1] in first and refs[0] not in first
    assert refs[0] in second and refs[2] not in second
    assert "None" not in first  # a batch made by no one (a job) shows no creator


def test_the_payroll_xlsx_holds_every_line_exactly_with_awkward_names(approved, finance):
    import io

    from openpyxl import load_workbook

    from compensation import exports
    from compensation.services import mark_exported, reverse_line
    from tests.compensation.test_payees import make_payee

    resource = ExperienceResourceFactory(first_name="Åsa", last_name="Berg")
    make_payee(resource, legal_name=" Åsa & <Berg> \x01", personnummer="191212121212")
    done_assignment([held(date(2026, 3, 10)), held(date(2026, 3, 17))], resource=resource)
    ExperienceResourceFactory()  # no payee: the name from the register, no personnummer
    first = create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), actor=finance)
    mark_exported(first, actor=finance)
    reverse_line(FeeLine.objects.filter(batch=first).first(), reason="Fel datum", actor=finance)
    second = create_batch(period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), actor=finance)

    for batch in (first, second):
        rows = list(load_workbook(io.BytesIO(exports.xlsx_bytes(batch)), read_only=True).active.iter_rows(values_only=True))
        expected = [
            (
                *(exports.ILLEGAL_XML.sub("", value) or None for value in row[:3]),
                float(row[3].replace(",", ".")),
                float(row[4].replace(",", ".")),
                *row[5:],
            )
            for row in exports.payroll_rows(batch)
        ]
        assert list(rows[0]) == exports.HEADER
        assert rows[1:] == expected
        assert round(sum(r[4] for r in rows[1:]) * 100) == batch.total_ore
    assert rows[1][1] == " Åsa & <Berg> "  # escaped, the space kept, the control character left out
    assert rows[1][4] < 0  # the reversal, negative


def test_a_batch_page_offers_reversal_only_for_lines_neither_reversed_nor_reversals(approved, client, login, finance):
    from compensation.services import mark_exported, reverse_line

    people_with_fees(1)
    first = create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), actor=finance)
    login(client, finance)
    assert "/aterfor/" not in client.get(reverse("compensation:batch", args=[first.pk])).content.decode()  # not exported yet
    mark_exported(first, actor=finance)
    reversed_line, kept = FeeLine.objects.filter(batch=first).order_by("pk")
    reverse_line(reversed_line, reason="Fel datum", actor=finance)
    second = create_batch(period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), actor=finance)
    mark_exported(second, actor=finance)
    html = client.get(reverse("compensation:batch", args=[first.pk])).content.decode()
    assert reverse("compensation:line_reverse", args=[kept.pk]) in html
    assert reverse("compensation:line_reverse", args=[reversed_line.pk]) not in html
    assert "<td>Återförd</td>" in html
    html = client.get(reverse("compensation:batch", args=[second.pk])).content.decode()
    assert "<td>Återföring</td>" in html and "/aterfor/" not in html
