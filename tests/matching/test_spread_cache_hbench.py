from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.panels import SPREAD_CACHE_KEY
from tests.factories import InquiryFactory, active_resource


def queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in ctx.captured_queries]


def of_inquiries(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if '"matching_inquiry"' in sql]


def test_the_spread_under_the_pool_is_counted_once_then_read_from_the_cache(client, login, coordinator):
    InquiryFactory(resource=active_resource())
    login(client, coordinator)

    first = queries(client, "/samordning/resurser/")
    second = queries(client, "/samordning/resurser/")

    # The spread's count over a year of inquiries (the pool page's only query of inquiries) runs
    # once; the second view reads it from the cache. (The pool keeps other things too, so the
    # number of queries alone says nothing about the spread.)
    assert len(of_inquiries(first)) == 1
    assert of_inquiries(second) == []
    assert len(second) < len(first)
    assert cache.get(SPREAD_CACHE_KEY)["inquiries"]["total"] == 1
