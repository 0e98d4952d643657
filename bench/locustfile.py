"""Load test: the roles' real journeys against gunicorn with production settings (`make load`).

Run by bench/load.sh in its own virtualenv (.venv-load, bench/requirements-load.txt); it does
not import the app. It reads the accounts and ids that bench/load_seed.py wrote (LOAD_FIXTURES)
and the sign-in and signing codes the server wrote to its mail folder (LOAD_MAIL_DIR,
EMAIL_URL=filemail://…).

Each simulated browser also plays the region's TLS proxy in front of the app: it sends
X-Forwarded-Proto: https (so the production settings see a secure request and neither
redirect nor refuse), an X-Forwarded-For of its own (each user is a different address to the
rate limits, as behind the real proxy), and keeps and returns the Secure cookies although the
last hop, on loopback, is plain HTTP. The app runs with its production settings unchanged.
"""

from __future__ import annotations

import base64
import email
import hashlib
import hmac
import itertools
import json
import os
import random
import struct
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from locust import HttpUser, between, events, task
from locust.exception import StopUser
from requests.cookies import RequestsCookieJar

FIXTURES = json.loads(Path(os.environ.get("LOAD_FIXTURES", "var/load/fixtures.json")).read_text())
MAIL_DIR = Path(os.environ.get("LOAD_MAIL_DIR", "var/load/mail"))
ADDRESSES = itertools.count(1)
ACCOUNTS = {role: itertools.count() for role in ("coordinators", "finance", "units", "people")}
ANSWER_LINKS = list(FIXTURES["answer_links"])
random.Random(1).shuffle(ANSWER_LINKS)
SIGNED: set[tuple[str, int]] = set()  # (side, assignment) already signed in this run
ANSWERED: set[int] = set()  # inquiries answered on the own page in this run


# --- helpers ----------------------------------------------------------------------------------


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238: HMAC-SHA1, 30-second steps, 6 digits (what allauth's TOTP checks)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**6:06d}"


class Forms(HTMLParser):
    """The page's forms: action, method and the values a browser would send as they stand."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "fields": {}, "options": {}}
            )
        elif not self.forms:
            return
        fields, options = self.forms[-1]["fields"], self.forms[-1]["options"]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    fields.setdefault(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "reset", "image"):
                fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            options.setdefault(name, [])
        elif tag == "option" and self._select:
            options[self._select].append(a.get("value", ""))
            if "selected" in a:
                fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            name = self._select
            fields, options = self.forms[-1]["fields"], self.forms[-1]["options"]
            if name not in fields and options.get(name):
                fields[name] = options[name][0]
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def form_with(html: str, field: str = "", action: str = "") -> dict | None:
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        if (not field or field in form["fields"] or field in form["options"]) and action in form["action"]:
            return form
    return None


class Mailbox:
    """The codes in the server's mail folder (Django's file-based backend), per address and kind."""

    seen: dict[str, int] = {}
    codes: dict[tuple[str, str], tuple[float, str]] = {}

    @classmethod
    def scan(cls) -> None:
        try:
            entries = list(os.scandir(MAIL_DIR))
        except FileNotFoundError:
            return
        for entry in entries:
            size = entry.stat().st_size
            if cls.seen.get(entry.name, -1) >= size:
                continue
            data = Path(entry.path).read_bytes()
            cls.seen[entry.name] = len(data)
            for chunk in data.split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    cls._read(email.message_from_bytes(chunk.lstrip()))

    @classmethod
    def _read(cls, message) -> None:
        to = (message.get("To") or "").strip().lower()
        body = ""
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                body = part.get_payload(decode=True).decode("utf-8", "replace")
                break
        lines = [line.strip() for line in body.splitlines()]
        for i, line in enumerate(lines[:-2]):
            if line.endswith(":") and ("kod" in line.lower()) and not lines[i + 1] and lines[i + 2]:
                kind = "signing" if "överenskommelsen" in line else "login"
                cls.codes[(to, kind)] = (time.time(), lines[i + 2])
                return

    @classmethod
    def wait_for(cls, to: str, kind: str, since: float, timeout: float = 20) -> str | None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            cls.scan()
            found = cls.codes.get((to.lower(), kind))
            if found and found[0] >= since:
                del cls.codes[(to.lower(), kind)]
                return found[1]
            time.sleep(0.2)  # gevent-patched: other users run meanwhile
        return None


class LoopbackJar(RequestsCookieJar):
    """Keeps the Secure cookies as if not Secure, so they go back over the plain-HTTP loopback
    hop (the browser's side of the proxy is HTTPS). requests copies cookies from jar to jar for
    each request and redirect, so the flag is dropped when a cookie is stored."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


# --- the users --------------------------------------------------------------------------------


class Browser(HttpUser):
    abstract = True
    # Between journeys; within one, a pause of 1-3 s after each page (reading it, filling a form).
    wait_time = between(5, 15)
    signed_in = False

    def on_start(self):
        n = next(ADDRESSES)
        self.client.cookies = LoopbackJar()
        self.origin = "https://" + urlsplit(self.host).netloc
        self.client.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
                "Origin": self.origin,
                "Accept-Language": "sv-SE,sv;q=0.9",
            }
        )

    def account(self, role: str):
        items = FIXTURES[role]
        return items[next(ACCOUNTS[role]) % len(items)]

    # One request, checked: a 2xx after redirects, and (optionally) the text the page must show.
    def get(self, url: str, name: str | None = None, expect: str = ""):
        with self.client.get(url, name=name or url, catch_response=True) as response:
            self._check(response, expect)
        self.think()
        return response

    def think(self):
        time.sleep(random.uniform(1, 3))  # gevent-patched: other users run meanwhile

    def post(self, url: str, data: dict, name: str, expect: str = "", referer: str = ""):
        headers = {"Referer": referer or self.origin + url}
        with self.client.post(url, data=data, name=name, headers=headers, catch_response=True) as response:
            self._check(response, expect)
        self.think()
        return response

    def _check(self, response, expect: str):
        if response.status_code >= 400 or response.status_code == 0:
            response.failure(f"HTTP {response.status_code}")
        elif self.signed_in and "/accounts/" in response.url:
            response.failure("sent to the sign-in page")
        elif expect and expect not in response.text:
            response.failure(f"{expect!r} missing")
        else:
            response.success()

    def submit(self, page, form: dict, values: dict, name: str, expect: str = ""):
        data = dict(form["fields"]) | values
        action = urljoin(page.url, form["action"] or page.url)
        return self.post(
            urlsplit(action).path, data, name=name, expect=expect, referer=page.url.replace("http://", "https://", 1)
        )

    def sign_in_with_password(self, address: str):
        page = self.get("/accounts/login/", name="sign-in: page")
        form = form_with(page.text, "password")
        if form is None:
            raise StopUser()
        page = self.submit(page, form, {"login": address, "password": FIXTURES["password"]}, name="sign-in: password")
        form = form_with(page.text, "code")
        if form is None:
            raise StopUser()
        for _attempt in range(3):
            # A code is accepted once: wait for the next one if this one was just used.
            code = totp(FIXTURES["totp_secret"])
            done = self.submit(page, form, {"code": code}, name="sign-in: security code")
            if form_with(done.text, "code") is None:
                self.signed_in = True
                return
            time.sleep(30 - time.time() % 30 + 1)
        raise StopUser()

    def sign_in_with_code(self, address: str):
        page = self.get("/accounts/login/code/", name="sign-in: ask for a code")
        form = form_with(page.text, "email")
        since = time.time() - 1
        page = self.submit(page, form, {"email": address}, name="sign-in: send code")
        form = form_with(page.text, "code")
        code = Mailbox.wait_for(address, "login", since) if form else None
        if code is None:
            events.request.fire(
                request_type="MAIL",
                name="sign-in: code in mail",
                response_time=0,
                response_length=0,
                exception=Exception("no code"),
            )
            raise StopUser()
        self.submit(page, form, {"code": code}, name="sign-in: type the code")
        self.signed_in = True

    def sign_agreement(self, side: str, pk: int, address: str):
        """The whole text, the tick and a fresh code by e-mail: as the sign page asks."""
        if (side, pk) in SIGNED:
            return
        SIGNED.add((side, pk))
        page = self.get(f"/{side}/uppdrag/{pk}/underteckna/", name=f"{side}: sign page")
        form = form_with(page.text, "content_hash")
        code_form = form_with(page.text, action="/kod/")
        if form is None or code_form is None:
            return  # signed already, or not waiting for signatures
        since = time.time() - 1
        page = self.submit(page, code_form, {}, name=f"{side}: send signing code")
        code = Mailbox.wait_for(address, "signing", since)
        form = form_with(page.text, "content_hash") or form
        if code is None:
            events.request.fire(
                request_type="MAIL",
                name="signing code in mail",
                response_time=0,
                response_length=0,
                exception=Exception("no code"),
            )
            return
        self.submit(page, form, {"approve": "on", "code": code}, name=f"{side}: sign")


class Coordinator(Browser):
    weight = 5

    def on_start(self):
        super().on_start()
        self.sign_in_with_password(self.account("coordinators"))

    @task(3)
    def filter_the_pool(self):
        page = self.get("/samordning/resurser/", name="coordinator: pool")
        form = form_with(page.text, "area")
        params = {"trained": "true"}
        if form and form["options"].get("area"):
            params["area"] = random.choice([v for v in form["options"]["area"] if v] or [""])
        query = "&".join(f"{k}={v}" for k, v in params.items())
        self.get(f"/samordning/resurser/?{query}", name="coordinator: pool, filtered")
        self.get(
            f"/samordning/resurser/?q={random.choice(['Anna', 'Lars', 'Karin', 'Hassan'])}", name="coordinator: pool, search"
        )
        self.get(f"/samordning/resurser/{random.choice(FIXTURES['pool'])}/", name="coordinator: person")

    @task(3)
    def triage(self):
        board = self.get("/samordning/forfragningar/", name="coordinator: triage board")
        form = form_with(board.text, "status")
        if form and form["options"].get("status"):
            status = random.choice([v for v in form["options"]["status"] if v])
            self.get(f"/samordning/forfragningar/?status={status}", name="coordinator: triage board, filtered")
        pk = random.choice(FIXTURES["triage"])
        page = self.get(f"/samordning/forfragningar/{pk}/", name="coordinator: request")
        note = form_with(page.text, "body", action="anteckning")
        if note:
            self.submit(page, note, {"body": "Ringde enheten, de återkommer om datum."}, name="coordinator: note")

    @task(2)
    def match(self):
        pk = random.choice(FIXTURES["matching"])
        self.get(f"/samordning/forfragningar/{pk}/matchning/", name="coordinator: shortlist")
        self.get(f"/samordning/forfragningar/{pk}/svar/", name="coordinator: answers")

    @task(1)
    def overview(self):
        self.get("/samordning/", name="coordinator: start")
        self.get("/samordning/uppdrag/", name="coordinator: assignments")


class Unit(Browser):
    weight = 4

    def on_start(self):
        super().on_start()
        self.me = self.account("units")
        self.sign_in_with_code(self.me["email"])

    @task(4)
    def read_requests(self):
        self.get("/verksamhet/", name="unit: start")
        if self.me["requests"]:
            self.get(f"/verksamhet/forfragningar/{random.choice(self.me['requests'])}/", name="unit: request")

    @task(1)
    def submit_a_request(self):
        page = self.get("/verksamhet/forfragningar/ny/", name="unit: new request form")
        form = form_with(page.text, "title")
        if form is None:
            return
        start = time.strftime("%Y-%m-%d", time.localtime(time.time() + 40 * 86400))
        reply = time.strftime("%Y-%m-%d", time.localtime(time.time() + 20 * 86400))
        values = {
            "kind": "education",
            "title": "Utbildningsdag om att leva med långvarig smärta",
            "purpose": "Vi vill att nya medarbetare hör hur det är att leva med smärta.",
            "people_count": "1",
            "format": "on_site",
            "location": "Universitetssjukhuset, plan 3",
            "starts_on": start,
            "duration": "half_day",
            "reply_by": reply,
            "action": "submit",
        }
        if form["options"].get("age_group"):
            values["age_group"] = next((v for v in form["options"]["age_group"] if v), "")
        done = self.submit(page, form, values, name="unit: submit request", expect="LB-")
        if done.ok and "/verksamhet/forfragningar/" in done.url:
            self.get(urlsplit(done.url).path, name="unit: request")

    @task(1)
    def sign(self):
        if self.me["signing"]:
            pk = random.choice(self.me["signing"])
            self.get(f"/verksamhet/uppdrag/{pk}/", name="unit: assignment")
            self.sign_agreement("verksamhet", pk, self.me["email"])


class Person(Browser):
    """A person with an account of their own: signs in by e-mailed code."""

    weight = 4

    def on_start(self):
        super().on_start()
        self.me = self.account("people")
        self.sign_in_with_code(self.me["email"])

    @task(3)
    def inquiries(self):
        self.get("/mina-sidor/", name="person: start")
        self.get("/mina-sidor/uppdragsforfragningar/", name="person: inquiries")
        if not self.me["inquiries"]:
            return
        pk = random.choice(self.me["inquiries"])
        page = self.get(f"/mina-sidor/uppdragsforfragningar/{pk}/", name="person: inquiry")
        form = form_with(page.text, "answer")
        if form and pk not in ANSWERED:
            ANSWERED.add(pk)
            self.submit(page, form, {"answer": random.choice(["yes", "no"]), "share_email": "on"}, name="person: answer")

    @task(1)
    def sign(self):
        self.get("/mina-sidor/uppdrag/", name="person: assignments")
        if self.me["signing"]:
            pk = random.choice(self.me["signing"])
            self.get(f"/mina-sidor/uppdrag/{pk}/", name="person: assignment")
            self.sign_agreement("mina-sidor", pk, self.me["email"])

    @task(1)
    def fees(self):
        self.get("/mina-sidor/ersattning/", name="person: fees")


class AnswerLink(Browser):
    """A person without an account answering the link in the inquiry mail (no sign-in)."""

    weight = 4

    @task
    def answer(self):
        if not ANSWER_LINKS:
            self.get("/", name="public: home")
            self.get("/sa-lanar-ni/", name="public: how it works")
            return
        link = ANSWER_LINKS.pop()
        page = self.get(link, name="person: answer link")
        form = form_with(page.text, "answer")
        if form:
            self.submit(
                page,
                form,
                {"answer": random.choice(["yes", "yes", "no"]), "comment": "Gärna på förmiddagen."},
                name="person: answer by link",
            )


class Finance(Browser):
    weight = 1

    def on_start(self):
        super().on_start()
        self.sign_in_with_password(self.account("finance"))

    @task(2)
    def pay(self):
        self.get("/ekonomi/", name="finance: start")
        self.get("/ekonomi/att-betala/", name="finance: to pay")
        self.get("/ekonomi/utbetalningar/", name="finance: batches")

    @task(2)
    def export(self):
        pk = random.choice(FIXTURES["batches"])
        self.get(f"/ekonomi/utbetalningar/{pk}/", name="finance: batch")
        self.get(f"/ekonomi/utbetalningar/{pk}/fil.csv", name="finance: export csv")

    @task(1)
    def export_xlsx(self):
        self.get(f"/ekonomi/utbetalningar/{random.choice(FIXTURES['batches'])}/fil.xlsx", name="finance: export xlsx")

    @task(1)
    def statistics(self):
        self.get("/ekonomi/statistik/", name="finance: statistics")
