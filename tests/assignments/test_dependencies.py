"""Dependencies point one way: matching (and every app before it) never imports assignments; it
sends `choice_confirmed`, which assignments listens to. Assignments never imports compensation
or any later app; it offers hooks (the fee line, panels) and signals that they fill in. The one
exception is `pages.panels`: the start pages' hook lists (plain lists, no imports of their
own), which assignments fills in from its AppConfig.ready()."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ORDER = [
    "accounts",
    "notifications",
    "registry",
    "requests_app",
    "matching",
    "assignments",
    "compensation",
    "evaluations",
    "insights",
    "pages",
]


HOOK_MODULES = {"pages.panels"}


def imported_modules(app: str) -> dict[str, set[str]]:
    """{file: the project modules it imports (dotted)}, migrations included."""
    found = {}
    for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[str(path.relative_to(settings.BASE_DIR))] = {n for n in names if n.split(".")[0] in ORDER}
    return found


def imported_apps(app: str) -> dict[str, set[str]]:
    """{file: the project apps it imports}, apart from the hook modules."""
    return {
        path: {n.split(".")[0] for n in names if not any(n == h or n.startswith(f"{h}.") for h in HOOK_MODULES)}
        for path, names in imported_modules(app).items()
    }


@pytest.mark.parametrize("app", ORDER[: ORDER.index("assignments")])
def test_earlier_apps_never_import_assignments(app):
    offending = {path: names for path, names in imported_apps(app).items() if "assignments" in names}
    assert offending == {}


def test_assignments_never_imports_a_later_app():
    later = set(ORDER[ORDER.index("assignments") + 1 :])
    offending = {path: names & later for path, names in imported_apps("assignments").items() if names & later}
    assert offending == {}
    # And it does use the earlier apps it builds on (so the walk above reads real files).
    assert any("matching" in names for names in imported_apps("assignments").values())
    assert any("pages.panels" in names for names in imported_modules("assignments").values())
