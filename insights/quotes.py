"""The free-text answers people allowed to be quoted anonymously, for the page and the report."""

from dataclasses import dataclass

from insights.figures import Window

QUOTE_LIMIT = 30


@dataclass(frozen=True)
class Quote:
    pk: int
    text: str
    respondent_label: str


# Filled from evaluations (see insights.evaluation_figures): callables (window, limit) -> list[Quote].
QUOTE_SOURCES: list = []


def allowed_quotes(window: Window, limit: int = QUOTE_LIMIT) -> list[Quote]:
    quotes: list[Quote] = []
    for source in QUOTE_SOURCES:
        quotes.extend(source(window, limit))
    return quotes[:limit]
