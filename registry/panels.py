"""Sections that later apps add to registry pages, without the registry importing them.

A panel is a callable returning HTML ("" for none); later apps register theirs in their
AppConfig.ready(). RESOURCE_PAGE panels get `(http_request, resource)`, POOL_PAGE
panels get `(http_request,)`.
"""

RESOURCE_PAGE: list = []  # the coordinators' page of one person
POOL_PAGE: list = []  # the coordinators' pool list


def render_panels(panels: list, *args) -> list[str]:
    return [html for panel in panels if (html := panel(*args))]


# A person's page lists the newest this many of each long list (assignments, inquiries) and
# says how many there are in all: the busiest person of a nation has 1,570 assignments.
PERSON_PAGE_ROWS = 20


def newest(queryset, rows: int = PERSON_PAGE_ROWS) -> tuple[list, int]:
    """The first `rows` of an ordered queryset and the count of all of it (counted only when
    the page is full, so a short list costs one query)."""
    shown = list(queryset[:rows])
    return shown, len(shown) if len(shown) < rows else queryset.count()
