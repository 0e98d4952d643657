"""The count under a filtered list, counted once and kept for the views after it.

A list filtered at national scale can match tens of thousands of rows: its exact count costs
30-60 ms on every view of each of its pages. Here a count is kept in the cache under the
filter (a canonical text of what was chosen) and a *generation* of the list's data. Any change
that can move a row in or out of a filter starts a new generation (connect `forget` to the
models' signals), so a kept count is never one from before a change made through Django.
The generation is forgotten now and again after the commit: a count made in between read the
data without the change, and is left under a generation no one reads. A change that bypasses
signals (QuerySet.update(), raw SQL) is counted at most `seconds` late; a filter that depends
on the clock (e.g. "waited more than 3 days") is not kept at all (`unkept`).

    BOARD_COUNTS = KeptCounts("requests.board", unkept={"waiting"})
    count = BOARD_COUNTS.count(queryset, {"status": "open", "unit": 12})
    post_save.connect(BOARD_COUNTS.forget, sender=UnitRequest, dispatch_uid="board-counts")
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone


def _text(value) -> str:
    """A chosen value as text that tells it apart: a row by its model and id (two units may
    share a name), anything else as str()."""
    if isinstance(value, Model):
        return f"{value._meta.label_lower}:{value.pk}"
    if isinstance(value, (list, tuple)):
        return repr([_text(v) for v in value])
    return str(value)


class KeptCounts:
    # At most this many filters' counts are kept in one generation (then they start afresh).
    most = 500

    def __init__(self, name: str, *, seconds: int = 600, unkept: frozenset | set = frozenset()):
        self.name, self.seconds, self.unkept = name, seconds, frozenset(unkept)
        self.generation_key = f"kept-counts:{name}:generation"
        self.counts_key = f"kept-counts:{name}:counts"

    def count(self, queryset: QuerySet, chosen: dict, *, count=None) -> int:
        """The count of `queryset`, the list filtered by `chosen` (each filter's name and value:
        everything that decides which rows match, and nothing else). `count` counts it when it
        is not kept (default: queryset.count())."""
        count = count or queryset.count
        if self.unkept & chosen.keys():
            return count()
        n, ticket = self.recall(chosen)
        if n is None:
            n = count()
            self.keep(ticket, n)
        return n

    def recall(self, chosen: dict) -> tuple[object, tuple]:
        """What is kept for `chosen` (None if nothing), and a ticket for `keep`: one round trip,
        the generation and the values kept under the generation they were made in."""
        # The day too: a filter may compare with today (an age band moves with the year).
        text = repr([timezone.localdate().isoformat(), *sorted((str(k), _text(v)) for k, v in chosen.items())])
        key = hashlib.sha256(text.encode()).hexdigest()
        kept = cache.get_many([self.generation_key, self.counts_key])
        generation = kept.get(self.generation_key)
        if generation is None:
            cache.add(self.generation_key, uuid.uuid4().hex, None)
            generation = cache.get(self.generation_key)
        values = kept.get(self.counts_key) or {}
        if values.get("generation") != generation:
            values = {"generation": generation, "counts": {}}
        return values["counts"].get(key), (values, key)

    def keep(self, ticket: tuple, value) -> None:
        """Keep `value` for what `recall` was asked, under the generation it read: made from the
        data before a change that came in between, it is read by no one."""
        values, key = ticket
        if len(values["counts"]) >= self.most:
            values["counts"] = {}
        values["counts"][key] = value
        cache.set(self.counts_key, values, self.seconds)

    def forget(self, **kwargs) -> None:
        """A signal receiver: the list's data changed, no kept count holds."""
        cache.delete(self.generation_key)
        transaction.on_commit(lambda: cache.delete(self.generation_key))
