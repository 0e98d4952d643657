"""A paginator that counts at most a bound of rows.

At national scale a list can hold two million rows (the done assignments): counting them on
every page view costs more than the rest of the page, and nobody pages that deep; the filters
narrow a list instead. Up to `limit` rows the count is exact; beyond it the paginator counts
`limit` rows, sets `more`, and the pages reach the first `limit` rows of the list's order (a
template then says "more than"). The work is bounded: the count reads at most `limit + 1`
index entries and the deepest page skips at most `limit` rows.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_LIMIT = 20_000


class BoundedPaginator(Paginator):
    limit = COUNT_LIMIT

    @cached_property
    def _counted(self) -> int:
        # No ORDER BY in the count: only the rows' number matters, not which come first.
        return self.object_list.order_by()[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.limit)

    @property
    def more(self) -> bool:
        """More rows than the pages reach."""
        return self._counted > self.limit
