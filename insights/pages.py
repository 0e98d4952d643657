"""What the statistics pages show below the period form, drawn once per refresh (insights.cache)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from insights import cache, selectors
from insights.figures import Window
from insights.quotes import allowed_quotes
from insights.selectors import Period, Scope

# page -> (its sections, the URL name of its tables' CSVs)
PAGES = {
    "statistics": (selectors.coordinator_sections, "insights:statistics_csv"),
    "finance_statistics": (selectors.finance_sections, "insights:finance_csv"),
}


def _draw(page: str, period: Period, scope: Scope, refreshed_at) -> str:
    build, csv_url = PAGES[page]
    sections = build(period, scope, selectors.load(period, scope, refreshed_at=refreshed_at))
    window = Window(unit=scope.unit, start=period.start, end=period.end)
    context = {
        "sections": sections,
        "quotes": allowed_quotes(window) if page == "statistics" else [],
        "query": selectors.canonical_query(period, scope),
        # one reverse for all the tables' CSV links: /…/statistik/<slug>.csv
        "csv_base": reverse(csv_url, args=["x"])[: -len("x.csv")],
    }
    return render_to_string(f"insights/_{page}_body.html", context)


def body(page: str, period: Period, scope: Scope, refreshed_at) -> str:
    """The sections (and quotes) as HTML, from the cache when this refresh has drawn them already."""
    return cache.rendered(page, period, scope, refreshed_at, lambda: _draw(page, period, scope, refreshed_at))


def warm(refreshed_at) -> int:
    """Draw the pages most looked at (this year and last, the whole region, every language)
    right after a refresh, so even the first view after it is served from the cache."""
    this_year = timezone.localdate().year
    drawn = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for year in (this_year, this_year - 1):
                for page in PAGES:
                    body(page, Period.year(year), Scope(), refreshed_at)
                    drawn += 1
    return drawn
