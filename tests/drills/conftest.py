"""What the fault drills share: a broker that stops and comes back, a worker that dies, a clock
that moves on, and a count of what the mail server got, by outbox key."""

import contextlib
import os
import socket
from collections import Counter
from datetime import timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
import redis
from django.core import mail
from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from config.celery import app as celery_app
from notifications import delivery
from notifications.models import OutboundEmail
from notifications.services import broker as broker_pause
from notifications.tasks import send_email
from registry.enums import PerspectiveCode
from registry.models import ContributionType, ExperienceArea, Perspective
from registry.taxonomies import CONTRIBUTION_TYPES, ENGLISH_NAMES, EXPERIENCE_AREAS

CLOSED_PORT = 9  # nobody listens on "discard" on loopback: a broker that is down


def needs_postgres(why: str):
    return pytest.mark.skipif(connection.vendor != "postgresql", reason=f"needs PostgreSQL (DATABASE_URL): {why}")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The drills make dozens of users; nobody signs in with a password here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The broker that comes back: the Redis of CI (`.ci/run` exports REDIS_URL), in a database of its own.
DRILL_REDIS_URL = urlsplit(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))._replace(path="/15").geturl()


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(DRILL_REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(
    not _redis_answers(), reason=f"needs Redis at {DRILL_REDIS_URL} (REDIS_URL): the broker that comes back"
)


def fresh_broker_connections():
    """Celery keeps a connection pool and a producer pool for the broker it last used."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing after this line runs (not an Exception,
    so no `except Exception` on the way up can swallow it)."""


def dies_at(n: int, real):
    """`real`, except that its n-th call (1-based) kills the worker before it does anything."""
    calls = {"n": 0}

    def call(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise WorkerKilled
        return real(*args, **kwargs)

    return call


class Broker:
    """Celery's broker during a drill: stopped (a real publish to a closed port, as in
    tests/notifications/test_failures.py) or back. Counts publishes and TCP connection tries."""

    def __init__(self, publishes):
        self.publishes = publishes
        self.connects = []

    def stop(self):
        celery_app.conf.update(
            broker_url=f"redis://127.0.0.1:{CLOSED_PORT}/0",
            task_always_eager=False,
            broker_transport_options={"max_retries": 0, "socket_connect_timeout": 1},
        )
        fresh_broker_connections()  # to the stopped broker

    def restore(self):
        for key in ("broker_url", "task_always_eager", "broker_transport_options"):
            celery_app.conf.changes.pop(key, None)  # back to what the Django settings say
        fresh_broker_connections()
        broker_pause.reset()  # the web process's pause after a failed publish is over


@pytest.fixture
def broker():
    real_connect = socket.socket.connect
    drill = None

    def counting_connect(sock, address):
        if isinstance(address, tuple) and address[1] == CLOSED_PORT:
            drill.connects.append(address)
        return real_connect(sock, address)

    publish = mock.patch.object(send_email, "apply_async", autospec=True, side_effect=send_email.apply_async)
    with publish as publishes, mock.patch.object(socket.socket, "connect", counting_connect):
        drill = Broker(publishes)
        yield drill
        drill.restore()


@contextlib.contextmanager
def later(delta: timedelta):
    """The clock moved on by `delta` (for every `timezone.now()`)."""
    real_now = timezone.now
    with mock.patch("django.utils.timezone.now", lambda: real_now() + delta):
        yield


def sent_per_key() -> Counter:
    """How many times the mail server got each outbox row, told apart by the Message-ID every
    attempt at one row carries."""
    by_id = {delivery.message_id(row): row.key for row in OutboundEmail.objects.all()}
    return Counter(by_id[m.extra_headers["Message-ID"]] for m in mail.outbox)


def ensure_reference_data():
    """Taxonomies come from a data migration; a transactional test's flush can remove them."""
    for code in PerspectiveCode.values:
        Perspective.objects.get_or_create(code=code)
    for i, name in enumerate(EXPERIENCE_AREAS):
        ExperienceArea.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "name_en": ENGLISH_NAMES[name], "position": i}
        )
    for i, name in enumerate(CONTRIBUTION_TYPES):
        ContributionType.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "name_en": ENGLISH_NAMES[name], "position": i}
        )
