"""The English catalog: complete, reviewed (nothing fuzzy), compiled, and actually used.

Source strings are Swedish (LANGUAGE_CODE = "sv"); locale/en/LC_MESSAGES/django.po holds the
English translation and the compiled django.mo is committed next to it, because a fresh machine
has no msgfmt. After adding or changing a string:

    make messages   # makemessages (ignoring .venv, .venv-load, var and tests; --no-obsolete)
    (translate the new entries, remove any "#, fuzzy")
    make messages   # again: nothing new, and compilemessages writes django.mo
"""

import ast
import gettext as gnu_gettext
import io
import re
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

LOCALE_DIR = settings.BASE_DIR / "locale"
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"

# What `makemessages` is run with (see the module docstring); the copy below leaves these out.
MAKEMESSAGES_IGNORE = [".venv/*", ".venv-load/*", "var/*", "tests/*"]
NOT_COPIED = shutil.ignore_patterns(
    ".venv",
    ".venv-load",
    ".git",
    "var",
    "tests",
    "locale",
    "__pycache__",
    ".ruff_cache",
    ".pytest_cache",
    "node_modules",
    "test-results",
)


def parse_po(text):
    """The entries of a .po file: dicts with msgid, msgid_plural, msgstr (list), flags, obsolete.

    Handles multi-line strings, plural forms and flags; that is all gettext catalogs made by
    makemessages contain. Comment lines other than flags (#, ...) are skipped.
    """
    entries = []
    entry = None
    field = None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if not line:  # blank line ends an entry
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": [], "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
            line = line[2:].strip()
            if not line or line.startswith("|"):
                continue
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        elif line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if field == "msgstr":
                entry["msgstr"][-1] += value
            else:
                entry[field] += value
            continue
        keyword, _, rest = line.partition(" ")
        value = ast.literal_eval(rest.strip())
        if keyword.startswith("msgstr"):
            field = "msgstr"
            entry["msgstr"].append(value)
        elif keyword in ("msgid", "msgid_plural", "msgctxt"):
            field = keyword
            entry[keyword] = value
        else:
            raise AssertionError(f"unexpected line in .po file: {raw!r}")
    return entries


def untranslated_or_fuzzy(entries):
    """Human-readable problems: entries (apart from the header) lacking a translation, and fuzzy ones."""
    problems = []
    for e in entries:
        if e["obsolete"]:
            continue
        label = repr(e["msgid"][:70])
        if "fuzzy" in e["flags"]:
            problems.append(f"fuzzy: {label}" if e["msgid"] else "fuzzy: the header")
        if e["msgid"] == "":
            continue
        if not e["msgstr"] or any(s.strip() == "" for s in e["msgstr"]):
            problems.append(f"untranslated: {label}")
        if "msgid_plural" in e and len(e["msgstr"]) != 2:
            problems.append(f"plural without both forms: {label}")
    return problems


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\{.*?\}\}|</?[a-zA-Z][^>]*>")


def test_parser_reads_multiline_plural_and_flags():
    sample = (
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: x.py:1\n#, fuzzy, python-format\nmsgid ""\n"Hej %(name)s, "\n"\\"du\\"!"\nmsgstr "Hi %(name)s!"\n\n'
        'msgid "%(n)s sak"\nmsgid_plural "%(n)s saker"\nmsgstr[0] "%(n)s thing"\nmsgstr[1] ""\n\n'
        '#~ msgid "gammal"\n#~ msgstr ""\n'
    )
    header, greeting, plural, old = parse_po(sample)
    assert header["msgid"] == "" and header["msgstr"] == ["Language: en\n"]
    assert greeting["msgid"] == 'Hej %(name)s, "du"!'
    assert greeting["flags"] == {"fuzzy", "python-format"}
    assert plural["msgid_plural"] == "%(n)s saker" and plural["msgstr"] == ["%(n)s thing", ""]
    assert old["obsolete"]
    assert untranslated_or_fuzzy([header, greeting, plural, old]) == [
        "fuzzy: 'Hej %(name)s, \"du\"!'",
        "untranslated: '%(n)s sak'",
    ]


def test_catalog_is_fully_translated_and_reviewed():
    entries = parse_po(PO_FILE.read_text(encoding="utf-8"))
    assert len(entries) > 100, "the English catalog looks truncated"
    assert entries[0]["msgid"] == "", "the catalog should start with its header"
    assert untranslated_or_fuzzy(entries) == []


def test_translations_keep_placeholders_and_markup():
    entries = parse_po(PO_FILE.read_text(encoding="utf-8"))
    mismatches = []
    for e in entries:
        if not e["msgid"] or e["obsolete"]:
            continue
        sources = [e["msgid"], e["msgid_plural"]] if "msgid_plural" in e else [e["msgid"]]
        for source, translated in zip(sources, e["msgstr"], strict=False):  # missing forms: see the test above
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translated)):
                mismatches.append((source[:70], translated[:70]))
    assert mismatches == []


def test_compiled_catalog_matches_the_po_file():
    """The committed django.mo was compiled from the current django.po (no stale .mo)."""
    with MO_FILE.open("rb") as fp:
        compiled = gnu_gettext.GNUTranslations(fp)
    catalog = compiled._catalog  # (msgid -> msgstr), or ((msgid, n) -> msgstr) for plurals
    stale = []
    for e in parse_po(PO_FILE.read_text(encoding="utf-8")):
        if not e["msgid"] or e["obsolete"] or "fuzzy" in e["flags"]:
            continue
        key = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        plural = "msgid_plural" in e
        got = [catalog.get((key, i)) for i in range(len(e["msgstr"]))] if plural else [catalog.get(key)]
        if got != e["msgstr"]:
            stale.append(e["msgid"][:70])
    assert stale == [], "django.mo is out of date: run compilemessages"


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msguniq")),
    reason="GNU gettext is not installed",
)
def test_every_string_in_the_code_has_an_english_translation(settings, tmp_path, monkeypatch):
    """Regenerate the catalog from today's code into a copy and check nothing new is untranslated.

    makemessages always writes into a `locale` directory it finds while walking the current
    directory (ahead of LOCALE_PATHS), so pointing LOCALE_PATHS elsewhere is not enough to protect
    the committed file: it runs in a copy of the project (without .venv, var, tests) instead.
    """
    project = tmp_path / "project"
    shutil.copytree(settings.BASE_DIR, project, ignore=NOT_COPIED)
    shutil.copytree(LOCALE_DIR, project / "locale")
    settings.LOCALE_PATHS = [project / "locale"]
    monkeypatch.chdir(project)
    committed = PO_FILE.read_bytes()

    call_command(
        "makemessages",
        locale=["en"],
        ignore_patterns=list(MAKEMESSAGES_IGNORE),
        no_obsolete=True,
        verbosity=0,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    assert PO_FILE.read_bytes() == committed, "the committed catalog must not be touched"
    regenerated = parse_po((project / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    msgids = {e["msgid"] for e in regenerated if e["msgid"] and not e["obsolete"]}
    assert "Logga in" in msgids, "makemessages found no strings: did it scan the copy?"
    problems = untranslated_or_fuzzy(regenerated)
    assert problems == [], (
        "strings in the code without a reviewed English translation; run makemessages (see the "
        "module docstring), translate them and compilemessages"
    )


def test_english_catalog_is_loaded():
    with translation.override("en"):
        assert translation.gettext("Logga in") == "Sign in"
        assert translation.ngettext("%(n)s person", "%(n)s personer", 3) % {"n": 3} == "3 people"
    with translation.override("sv"):
        assert translation.gettext("Logga in") == "Logga in"


def test_accessibility_statement_in_english(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/om/tillganglighet/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Accessibility of Levande bibliotek</h1>" in page
    assert "Report a problem or ask for another format" in page
    assert "Tillgänglighet för Levande bibliotek" not in page
