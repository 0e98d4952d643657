"""Sections that later apps add to the start pages, without `pages` importing them.

A panel is a callable `(http_request) -> str` returning HTML ("" for none); later apps
register theirs in their AppConfig.ready().
"""

COORDINATOR_HOME: list = []  # the coordinator's start page
RESOURCE_HOME: list = []  # the person's Mina sidor
UNIT_HOME: list = []  # the care unit's start page


def render_panels(panels: list, http_request) -> list[str]:
    return [html for panel in panels if (html := panel(http_request))]
