"""The rendered sections of the statistics pages, cached until the figures are counted again.

Everything on the page below the period form comes from the summary figures (and, for a single
unit, from the same collectors counted live), so the rendered HTML only changes when
`refresh_figures` has run. The key holds the page, the period, the scope, the language and the
time of the last refresh: a refresh makes a new key, so the old HTML is never served again and
simply expires. A repeated view then costs one cache read instead of about 20 queries and the
drawing of some 40 tables and charts. Before the first refresh nothing is cached.
"""

import hashlib

from django.core.cache import cache
from django.utils.translation import get_language

# Long enough to serve every view between two refreshes (beat: every 10 minutes), short enough
# that the entries a refresh made obsolete leave the cache soon.
TIMEOUT = 30 * 60


def key(page: str, period, scope, refreshed_at) -> str:
    parts = [
        page,
        period.start.isoformat() if period.start else "",
        period.end.isoformat(),
        scope.organisation,
        str(scope.unit.pk) if scope.unit else "",
        get_language() or "",
        refreshed_at.isoformat(),
    ]
    return "insights:page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def rendered(page: str, period, scope, refreshed_at, render) -> str:
    """The cached HTML for this page, period and scope, or `render()` stored for next time."""
    if refreshed_at is None:
        return render()
    cache_key = key(page, period, scope, refreshed_at)
    html = cache.get(cache_key)
    if html is None:
        html = render()
        cache.set(cache_key, html, TIMEOUT)
    return html
