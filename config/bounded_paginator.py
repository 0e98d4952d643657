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

from config.kept_counts import KeptCounts

COUNT_LIMIT = 20_000


class BoundedPaginator(Paginator):
    """`kept` (optional): a `KeptCounts` and what the list is filtered by, to count each filter
    once and keep the count for the views after it (config.kept_counts)."""

    limit = COUNT_LIMIT

    def __init__(self, *args, kept: tuple[KeptCounts, dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = kept

    @cached_property
    def _counted(self) -> int:
        # No ORDER BY in the count: only the rows' number matters, not which come first.
        def count():
            return self.object_list.order_by()[: self.limit + 1].count()

        if self.kept is None:
            return count()
        counts, chosen = self.kept
        return counts.count(self.object_list, {**chosen, "(limit)": self.limit}, count=count)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.limit)

    @property
    def more(self) -> bool:
        """More rows than the pages reach."""
        return self._counted > self.limit
