"""Hostile values posted to every form the app renders: never a server error, nothing stored mangled.

Generated from the URL resolver and the rendered pages, so a new page is covered without editing
this file: every route in ACCESS (tests/security/test_url_access.py) is requested, with the world
of that module, as a role allowed to use it (for a unit's or a person's own pages, as the unit's
staff or the person the world's objects belong to). Every `<form method="post">` on those pages
is read (its fields, their types, their current values, its submit buttons) and is posted again
and again with hypothesis-generated values: long and empty strings, NUL and control characters,
HTML and script, huge and negative numbers, impossible dates and times, missing and repeated
fields, choices that do not exist, wrong files.

Each post runs inside a savepoint that is rolled back afterwards, so every example starts from
the same world. After each post:
- no server error (the test client raises a view's exception; a 500 fails too);
- every stored text that holds what was sent holds it whole, as the form cleans it (stripped of
  surrounding white space), never escaped, cut short or with a NUL byte;
- a refused post (a 4xx, or a page shown again with form errors) created no rows anywhere.

`test_every_post_url_is_fuzzed_or_skipped` posts an empty form to every route as its allowed role:
each route that does not answer 405 must have a form this suite found, or be in SKIP with a reason.

`make test` runs a bounded number of examples (the "hostile" profile, derandomised so CI is
repeatable); `make fuzz` (HYPOTHESIS_PROFILE=fuzz) runs 10,000 spread over the forms, at random.
"""

from __future__ import annotations

import inspect
import json
import math
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from accounts.models import User
from compensation.enums import BatchStatus
from compensation.models import PayoutBatch
from evaluations import services as evaluation_links
from evaluations.models import Evaluation, FollowUpTheme
from matching import services as matching_links
from matching.models import Inquiry
from registry import checks as yearly_links
from registry import events as event_links
from registry.enums import ResourceStatus
from registry.models import EventInvitation, ExperienceResource, YearlyCheck
from requests_app.models import CareUnit
from tests.assignments.factories import AssignmentFactory, SessionFactory
from tests.compensation.factories import done_assignment, held
from tests.conftest import sign_in
from tests.factories import EventFactory, ExperienceResourceFactory, UnitRequestFactory, active_resource
from tests.security.test_url_access import ACCESS, EVERYONE, Access, paths_for
from tests.security.test_url_access import world as world

settings.register_profile(
    "hostile",
    max_examples=800,  # in all, spread over the forms
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("fuzz", parent=settings.get_profile("hostile"), max_examples=10_000, derandomize=False)
PROFILE = settings.get_profile("fuzz" if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else "hostile")
if os.environ.get("HOSTILE_EXAMPLES"):  # another total for one run: HOSTILE_EXAMPLES=2000 make fuzz
    PROFILE = settings(PROFILE, max_examples=int(os.environ["HOSTILE_EXAMPLES"]))

# Routes that take a POST but are not fuzzed here, and why.
SKIP = {
    "i18n/setlang/": "Django's own language switch: a language code and a next address, both checked by Django",
    "verksamhet/uppdrag/<int:pk>/underteckna/": "the view the person signs with (mina-sidor/…/underteckna/, fuzzed); "
    "the world's unit has signed already",
    "verksamhet/uppdrag/<int:pk>/underteckna/kod/": "as above (mina-sidor/…/underteckna/kod/, fuzzed)",
}

# Marks every generated string this suite later looks for in the database.
SENT = "Hx9Qz"

# Public pages whose link carries its own secret: the token made for the world's objects.
TOKENS = {
    "svara/<str:token>/": lambda w: matching_links.answer_token(Inquiry.objects.get(pk=w["inquiry"])),
    "traff/<str:token>/": lambda w: event_links.answer_token(EventInvitation.objects.get(pk=w["invitation"])),
    "utvardering/<str:token>/": lambda w: evaluation_links.answer_token(Evaluation.objects.get(pk=w["unit_evaluation"])),
    "fortfarande-med/<str:token>/": lambda w: yearly_links.answer_token(
        YearlyCheck.objects.get_or_create(resource=ExperienceResource.objects.get(pk=w["resource"]), year=2026)[0]
    ),
}

PREFERENCE = ("anonymous", "coordinator", "unit_staff", "resource", "finance", "administrator")


def poster(access: Access) -> str | None:
    """Who may use the route with the world's objects: a coordinator, or the unit or person they belong to."""
    if access.roles == EVERYONE:
        return "anonymous"
    if access.scoped:
        if access.sees_all:
            return sorted(access.sees_all)[0]
        return {"unit_staff": "unit_owner", "resource": "resource_owner"}.get(sorted(access.roles)[0])
    return next((p for p in PREFERENCE if p in access.roles), None)


# The world's objects of one kind in other states: pages about one are visited for each (their forms differ).
ALSO = {
    "assignment": ("signing", "reported", "disputed", "done", "drafting"),
    "request": ("draft",),
    "event": ("past_event",),
    "resource": ("applicant",),
}
# Pages that show more forms with a query: the shortlist's search for someone to add by hand.
QUERIES = {"samordning/forfragningar/<int:pk>/matchning/": "?sok=Hedda"}


@pytest.fixture
def scene(world, settings):
    """The world, with objects in the states where the remaining forms show."""
    settings.UNIT_MEMBERS_APPROVE_JOINS = True
    person = ExperienceResource.objects.get(pk=world["resource"])
    inquiry = Inquiry.objects.get(pk=world["inquiry"])
    said_yes = Inquiry.objects.create(request=inquiry.request, resource=active_resource(), deadline=inquiry.deadline)
    matching_links.answer(said_yes, yes=True, share_email=True)  # the coordinator may withdraw a yes
    active_resource(first_name="Hedda", last_name="Handsson")  # found by the shortlist's search, to add by hand
    PayoutBatch.objects.filter(pk=world["batch"]).update(status=BatchStatus.EXPORTED)  # to mark paid, lines to reverse
    FollowUpTheme.objects.get(pk=world["theme"]).events.add(world["event"])
    now = timezone.now()
    past = EventFactory(title="MARKÖR-TRÄFF förr", starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=2, hours=-2))
    EventInvitation.objects.create(event=past, resource=person)
    settings.COMPENSATION_AUTO_APPROVE = False  # lines waiting for a coordinator's attest
    other_unit = CareUnit.objects.get(name="MARKÖR-ENHET")
    drafting = AssignmentFactory(request=UnitRequestFactory(unit=other_unit), resource=person, role="Berätta")
    SessionFactory(assignment=drafting, address="Storgatan 1", link="https://möte.example.se/1")  # ready to send
    done_assignment([held(date(2026, 4, 7))], resource=person, request=UnitRequestFactory(unit=other_unit))
    return {
        **world,
        "past_event": past.pk,
        "applicant": ExperienceResourceFactory(status=ResourceStatus.APPLIED).pk,
        "drafting": drafting.pk,
    }


def route_paths(route: str, access: Access, world: dict) -> list[str]:
    if route in TOKENS:
        return ["/" + route.replace("<str:token>", TOKENS[route](world))]
    try:
        paths = paths_for(route, access, world)
    except KeyError:
        return []  # a parameter the world does not give: reported by the coverage test if it takes a POST
    for param, key in access.ids.items():
        for other in ALSO.get(key, ()):
            paths += paths_for(route, Access(access.roles, {**access.ids, param: other}), world)
    return list(dict.fromkeys(paths))


def route_of(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


# --- forms as the pages render them ------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, number, date, datetime, time, choice, multi, checkbox, file, hidden, email
    value: list[str]  # what the page filled in
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    route: str
    path: str
    persona: str
    fields: list[Field]
    buttons: list[tuple[str, str]]
    page: str

    def key(self):
        return (self.route, tuple(sorted(f.name for f in self.fields)), tuple(self.buttons))


INPUT_KINDS = {
    "number": "number",
    "range": "number",
    "date": "date",
    "datetime-local": "datetime",
    "time": "time",
    "month": "date",
    "email": "email",
    "file": "file",
    "hidden": "hidden",
    "checkbox": "checkbox",
    "radio": "choice",
}


def forms_on(page: str, html: bytes, persona: str) -> list[Form]:
    if not html.strip():
        return []
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    found = []
    for element in doc.iter("form"):
        if (element.get("method") or "get").lower() != "post":
            continue
        action = urlsplit(element.get("action") or page).path or page
        route = route_of(action)
        if route is None:
            continue
        fields: dict[str, Field] = {}
        buttons = []
        for el in element.iter("input", "select", "textarea", "button"):
            name = el.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            if el.tag == "button" or (el.tag == "input" and (el.get("type") or "").lower() in ("submit", "image")):
                if (el.get("type") or "submit").lower() == "submit":
                    buttons.append((name, el.get("value") or ""))
                continue
            if el.tag == "select":
                options = [o.get("value", o.text_content()) for o in el.iter("option")]
                chosen = [o.get("value", o.text_content()) for o in el.iter("option") if o.get("selected") is not None]
                kind = "multi" if el.get("multiple") is not None else "choice"
                fields[name] = Field(name, kind, chosen or options[:1], options)
                continue
            if el.tag == "textarea":
                fields[name] = Field(name, "text", [el.text or ""])
                continue
            kind = INPUT_KINDS.get((el.get("type") or "text").lower(), "text")
            value = el.get("value", "on" if kind in ("checkbox", "choice") else "")
            if kind in ("checkbox", "choice"):
                checked = el.get("checked") is not None
                if name in fields:
                    fields[name].options.append(value)
                    fields[name].kind = "multi" if kind == "checkbox" else "choice"
                    if checked:
                        fields[name].value.append(value)
                else:
                    fields[name] = Field(name, kind, [value] if checked else [], [value])
                continue
            if kind == "file":
                fields[name] = Field(name, kind, [])
                continue
            fields[name] = Field(name, kind, [value])
        found.append(Form(route, action, persona, list(fields.values()), buttons, page))
    return found


@pytest.fixture
def clients(db, world, personas):
    users = {
        **personas,
        "unit_owner": User.objects.get(email="annan.personal@regionexempel.se"),
        "resource_owner": User.objects.get(email="annan@exempel.se"),
    }

    def client_for(persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            sign_in(client, users[persona])
        return client

    return client_for


def drain(response) -> None:
    """Read a file download to its end: the test client then closes its file. (Calling close() on a
    response sends request_finished, which closes the test's database connection on PostgreSQL.)"""
    if response.streaming:
        b"".join(response.streaming_content)


def viewers(access: Access) -> list[str]:
    """Everyone allowed to open the route's page with the world's objects: forms found there are posted as them."""
    if access.roles == EVERYONE:
        return ["anonymous"]
    found = sorted(access.sees_all) if access.scoped else [p for p in PREFERENCE if p in access.roles]
    found += [
        {"unit_staff": "unit_owner", "resource": "resource_owner"}[r] for r in ("unit_staff", "resource") if r in access.roles
    ]
    return list(dict.fromkeys(found))


def reads_a_post(view) -> bool:
    """Whether the view function (under its decorators) reads a posted form."""
    while True:
        source = inspect.getsource(view)
        if any(word in source for word in ("request.POST", "request.FILES", '"POST"', "require_POST")):
            return True
        if not hasattr(view, "__wrapped__"):
            return False
        view = view.__wrapped__


@pytest.fixture
def harvest(scene, clients):
    """Every route in ACCESS with its poster and paths, and every post form found on the pages."""
    routes, forms = {}, {}
    for route, access in ACCESS.items():
        persona = poster(access)
        paths = route_paths(route, access, scene) if persona else []
        routes[route] = (persona, paths)
        for viewer in viewers(access) if paths else []:
            client = clients(viewer)
            for path in paths:
                with transaction.atomic():
                    response = client.get(path + QUERIES.get(route, ""))
                    transaction.set_rollback(True)
                drain(response)  # a file download's open file
                if response.status_code != 200 or response.streaming:
                    continue
                if "html" not in response.get("Content-Type", ""):
                    continue
                for form in forms_on(path, response.content, viewer):
                    forms.setdefault(form.key(), form)
    return routes, list(forms.values())


def test_every_post_url_is_fuzzed_or_skipped(harvest, clients):
    routes, forms = harvest
    fuzzed = {form.route for form in forms}
    missing = []
    for route, (persona, paths) in routes.items():
        if route in fuzzed or route in SKIP:
            continue
        if not paths:
            missing.append(f"{route}: no role and object to post as (give its parameter in ACCESS or TOKENS)")
            continue
        client = clients(persona)
        for path in paths:
            with transaction.atomic():
                got = client.get(path)
                response = client.post(path)
                transaction.set_rollback(True)
            drain(got)
            drain(response)
            if response.status_code == 405:
                continue
            if response.status_code == got.status_code and not reads_a_post(resolve(path).func):
                continue  # answers a POST as it answers a GET: a page without a form of its own
            missing.append(f"{route}: takes a POST ({response.status_code} as {persona}) but no page shows its form")
            break
    assert missing == [], "Render the form on a page the world reaches, or add the route to SKIP with a reason:\n" + "\n".join(
        missing
    )
    assert set(SKIP) <= set(routes), "SKIP names a route that is gone"


# --- hostile values ------------------------------------------------------------------------------------

printable_hostile = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x10FFFF)
    | st.sampled_from("\x00\x01\x07\x08\x0b\x0c\x1b\x7f\r\n\t\u202e\u200b\ufeff<>&\"'%;\\"),
    max_size=40,
)
MARKUP = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><h1>rubrik</h1>",
    "{{ request.user }}{% now 'Y' %}",
    "'; DROP TABLE registry_experienceresource; --",
    "\x00",
    "a\x00b",
    "\u202egnp.exe",
    '=HYPERLINK("http://example.com")',
    "../../../../etc/passwd",
    "%s%s%n",
    "😀" * 10,
    "Å" * 256,
)
TEXT = st.one_of(
    st.just(""),
    st.text(alphabet=" \t\r\n\u00a0\u2003", min_size=1, max_size=5),
    st.builds(lambda body: SENT + body, printable_hostile),
    st.builds(lambda body: SENT + body, st.sampled_from(MARKUP)),
    st.builds(lambda n: SENT + "å" * n, st.sampled_from([100, 201, 255, 256, 1000, 5001, 100_000])),
)
NUMBER = st.one_of(
    st.sampled_from(
        [
            "-1",
            "0",
            "-0",
            "9223372036854775808",
            "-9223372036854775809",
            "2147483648",
            "1e400",
            "NaN",
            "Infinity",
            "-inf",
            "0x10",
            "١٢",
            "²",
            "1,5",
            "1.5",
            "99999999999999999999999999.99",
            "0.001",
            " 7 ",
            "",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
DATES = [
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2026-01-01",
    "2026-1-1",
    "31/12/2026",
    "1900-02-29",
    "2026-06-31",
    "2026-06-15T25:61",
    "",
]
TIMES = ["24:00", "23:60", "-1:00", "25:99", "12:00:61", "noon", "02:30", ""]
DATE = st.one_of(st.sampled_from(DATES), st.dates().map(lambda d: d.isoformat()))
TIME = st.sampled_from(TIMES)
DATETIME = st.one_of(
    st.sampled_from(["2026-03-29T02:30", "2026-10-25T02:30", "0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T10:00", ""]),
    st.builds(lambda d, t: f"{d}T{t}", st.sampled_from(DATES), st.sampled_from(TIMES)),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M") if d.year >= 1000 else f"{d.year}-01-01T00:00"),
)
IDS = st.sampled_from(["", "-1", "0", "9223372036854775808", "²", "abc", "1.0", " 1", "1\x00"])


def wrong_file(kind_and_name):
    kind, name = kind_and_name
    content = {
        "empty": b"",
        "text": b"bara text, ingen pdf",
        "exe": b"MZ\x90\x00\x03" + b"\x00" * 200,
        "fake_png": b"\x89PNG\r\n\x1a\nnot really",
        "pdf": b"%PDF-1.4\n%%EOF\n",
        "html": b"<html><script>alert(1)</script></html>",
        "big": b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024),
    }[kind]
    return SimpleUploadedFile(name, content, content_type="application/pdf")


FILES = st.tuples(
    st.sampled_from(["empty", "text", "exe", "fake_png", "pdf", "html", "big"]),
    st.sampled_from(
        [
            "kvitto.pdf",
            "kvitto.exe",
            "../../kvitto.pdf",
            "k" * 300 + ".pdf",
            "kvitto",
            ".pdf",
            "kvitto.PDF.exe",
            "kvitto\u202efdp.exe",
        ]
    ),
).map(wrong_file)


def hostile(f: Field):
    if f.kind == "file":
        return FILES
    if f.kind == "number":
        return NUMBER | TEXT
    if f.kind == "date":
        return DATE
    if f.kind == "datetime":
        return DATETIME
    if f.kind == "time":
        return TIME
    if f.kind in ("choice", "multi", "checkbox"):
        others = st.sampled_from(f.options) if f.options else IDS
        return IDS | others | TEXT
    if f.kind == "hidden":
        return IDS | NUMBER | TEXT
    return TEXT


@st.composite
def submissions(draw, form: Form):
    data = {}
    for f in form.fields:
        how = draw(st.sampled_from(["keep", "keep", "hostile", "hostile", "missing", "repeated"]))
        if how == "missing":
            continue
        if how == "keep":
            if f.kind == "multi" and f.options:
                data[f.name] = draw(st.lists(st.sampled_from(f.options), unique=True, max_size=len(f.options)))
            elif f.value:
                data[f.name] = list(f.value)
            elif f.kind == "file":
                data[f.name] = SimpleUploadedFile("kvitto.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
            continue
        value = draw(hostile(f))
        if how == "repeated":
            data[f.name] = [draw(hostile(f)), value] if f.kind == "file" else [*(f.value or [value]), value]
        else:
            data[f.name] = value
    if form.buttons:
        name, value = draw(st.sampled_from(form.buttons))
        if draw(st.integers(0, 9)):  # now and then the button's name with a value it does not offer
            data.setdefault(name, value)
        else:
            data[name] = draw(TEXT | IDS)
    return data


# --- what is stored --------------------------------------------------------------------------------------


def project_models():
    return [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy and m._meta.app_label != "sessions"]


def row_counts() -> dict[str, int]:
    tables = sorted({m._meta.db_table for m in project_models()})
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        # table names from the models, quoted: nothing from outside goes into this query
        cursor.execute(" UNION ALL ".join(f"SELECT {i}, COUNT(*) FROM {qn(t)}" for i, t in enumerate(tables)))  # noqa: S608
        counts = dict(cursor.fetchall())
    return {t: counts[i] for i, t in enumerate(tables)}


TEXT_FIELDS = (models.CharField, models.TextField)


def stored_with_marker():
    """Every stored string (also inside JSON) that holds the marker: (model, field, value)."""
    for model in project_models():
        texts = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        jsons = [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        if not texts and not jsons:
            continue
        query = Q()
        for f in texts:
            query |= Q(**{f"{f.attname}__contains": SENT})
        annotations = {f"_text_{f.attname}": Cast(f.attname, TextField()) for f in jsons}
        for f in jsons:
            query |= Q(**{f"_text_{f.attname}__contains": SENT})
        fields = [f.attname for f in texts + jsons]
        for row in model._base_manager.annotate(**annotations).filter(query).values_list(*fields):
            for name, value in zip(fields, row, strict=True):
                for text in strings_in(value):
                    if SENT in text:
                        yield model.__name__, name, text


def strings_in(value):
    if isinstance(value, str):
        if value.startswith(("{", "[")):
            try:
                yield from strings_in(json.loads(value))
                return
            except ValueError:
                pass
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings_in(k)
            yield from strings_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings_in(v)


def sent_strings(data) -> list[str]:
    out = []
    for value in data.values():
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and SENT in v:
                out.append(v)
    return out


def cleaned(value: str) -> set[str]:
    """What a Django form field keeps of a string: stripped; a browser's line ends as the form gets them."""
    stripped = value.strip()
    return {stripped, stripped.replace("\r\n", "\n")}


# Rows that hold what was sent rendered, not as sent: checked for NUL bytes only.
RENDERED = {"OutboundEmail": "a mail: its HTML part escapes what was sent, its text part wraps the lines"}


def mangled(data) -> list[str]:
    sent = [c for v in sent_strings(data) for c in cleaned(v)]
    problems = []
    for model, name, text in stored_with_marker():
        if "\x00" in text:
            problems.append(f"{model}.{name} holds a NUL byte: {text[:80]!r}")
        elif model not in RENDERED and not any(s and s in text for s in sent):
            problems.append(f"{model}.{name} holds {text[:80]!r}…, not what was sent")
    return problems


def refused(response) -> bool:
    if response.status_code >= 400:
        return True
    if response.status_code != 200 or response.context is None:
        return False
    for context in response.context:
        for value in context.flatten().values():
            if isinstance(value, BaseForm | BaseFormSet) and value.is_bound and not value.is_valid():
                return True
    return False


# --- the suite ------------------------------------------------------------------------------------------------


def test_hostile_values_never_break_a_form(harvest, clients):
    _routes, forms = harvest
    assert len(forms) > 50, "the pages should show many forms; did the world or the sign-in break?"
    per_form = max(2, math.ceil(PROFILE.max_examples / len(forms)))
    failures = []

    only = os.environ.get("HOSTILE_ONLY", "")  # e.g. HOSTILE_ONLY=arsrapporter: the forms of matching routes
    for form in sorted(forms, key=lambda f: (f.route, f.page)):
        if only not in form.route:
            continue
        try:
            hostile_posts(form, clients, per_form)()
        except Exception as exc:  # noqa: BLE001 (report every form, not the first one only)
            notes = "\n".join(getattr(exc, "__notes__", []))
            failures.append(
                f"{form.route} ({form.persona}, form on {form.page}): {type(exc).__name__}: {str(exc)[:1500]}\n{notes}"
            )
    assert failures == [], "\n\n".join(failures)


def hostile_posts(form: Form, clients, examples: int):
    @settings(PROFILE, max_examples=examples)
    @given(data=submissions(form))
    def post_hostile(data):
        note(f"{form.persona} posts to {form.path} (form on {form.page}): {data!r:.2000}")
        with transaction.atomic():
            cache.clear()  # rate limits
            before = row_counts()
            response = clients(form.persona).post(form.path, data)
            drain(response)
            assert response.status_code < 500, f"{response.status_code} from {form.path}"
            problems = mangled(data)
            assert problems == [], problems
            if refused(response):
                after = row_counts()
                created = {t: after[t] - before[t] for t in after if after[t] != before[t]}
                assert created == {}, f"refused ({response.status_code}) yet stored rows: {created}"
            transaction.set_rollback(True)

    return post_hostile


@pytest.mark.parametrize(
    ("stored", "flagged"),
    [
        (f"{SENT}<b>fet</b>", False),  # kept whole, stripped as the form strips
        (f"Anteckning: {SENT}<b>fet</b>", False),  # kept whole inside a longer text
        (f"{SENT}&lt;b&gt;fet&lt;/b&gt;", True),  # escaped
        (f"{SENT}<b>fe", True),  # cut short
        (f"{SENT}<b>fet</b>\x00", True),  # a NUL byte
    ],
)
def test_the_checks_catch_a_mangled_value(db, stored, flagged):
    if "\x00" in stored and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses to store a NUL byte itself")
    from matching.models import Conflict

    Conflict.objects.create(resource=ExperienceResourceFactory(), unit=CareUnit.objects.create(name="Enhet"), note=stored)

    assert bool(mangled({"note": f"  {SENT}<b>fet</b>\r\n"})) is flagged
