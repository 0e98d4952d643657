"""Sections that later apps add to a request's pages, without this app importing them.

A panel is a callable `(http_request, unit_request) -> str` returning HTML ("" for none);
matching registers its own in its AppConfig.ready().
"""

TRIAGE_PAGE: list = []  # the coordinators' page of one request
UNIT_PAGE: list = []  # the unit's status page


def render_panels(panels: list, http_request, unit_request) -> list[str]:
    return [html for panel in panels if (html := panel(http_request, unit_request))]
