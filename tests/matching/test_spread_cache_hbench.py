from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.panels import SPREAD_CACHE_KEY
from tests.factories import InquiryFactory, active_resource


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_spread_under_the_pool_is_counted_once_then_read_from_the_cache(client, login, coordinator):
    InquiryFactory(resource=active_resource())
    login(client, coordinator)

    first = queries(client, "/samordning/resurser/")
    second = queries(client, "/samordning/resurser/")

    assert second == first - 3  # the spread's two queries, and the pool's count (kept as well: registry.selectors)
    assert cache.get(SPREAD_CACHE_KEY)["inquiries"]["total"] == 1
