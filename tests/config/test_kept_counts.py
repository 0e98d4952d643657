"""config.kept_counts: a filtered list's count is counted once, kept, and forgotten on a change."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.kept_counts import KeptCounts
from requests_app.models import CareUnit
from tests.factories import CareUnitFactory


def counted(counts, queryset, chosen) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        n = counts.count(queryset, chosen)
    return n, len(ctx.captured_queries)


def test_a_count_is_kept_until_forgotten(db):
    counts = KeptCounts("test.units")
    CareUnitFactory(name="Ett")
    assert counted(counts, CareUnit.objects.all(), {"q": "x"}) == (1, 1)
    CareUnitFactory(name="Två")  # not through a connected signal: the kept count stays
    assert counted(counts, CareUnit.objects.all(), {"q": "x"}) == (1, 0)
    counts.forget()
    assert counted(counts, CareUnit.objects.all(), {"q": "x"}) == (2, 1)


def test_each_filter_has_its_own_count_and_rows_are_told_apart_by_id(db):
    counts = KeptCounts("test.units")
    first, second = CareUnitFactory(name="Samma", organisation="A"), CareUnitFactory(name="Samma", organisation="B")
    assert counts.count(CareUnit.objects.filter(pk=first.pk), {"unit": first}) == 1
    assert counts.count(CareUnit.objects.none(), {"unit": second}) == 0  # same name, another unit
    assert counts.count(CareUnit.objects.all(), {"unit": first, "q": ""}) == 2


def test_a_filter_on_the_clock_is_never_kept(db):
    counts = KeptCounts("test.units", unkept={"waiting"})
    CareUnitFactory()
    assert counted(counts, CareUnit.objects.all(), {"waiting": "3"}) == (1, 1)
    assert counted(counts, CareUnit.objects.all(), {"waiting": "3"}) == (1, 1)
