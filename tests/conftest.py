"""Personas, one per role plus an outsider, and helpers shared by every test."""

import os

import pytest
from django.core.cache import cache
from django.utils import translation

from accounts.enums import Role
from notifications.services import broker
from tests.factories import CareUnitFactory, ExperienceResourceFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], settings.BASE_DIR / "tests" / "templates"]}
    ]
    cache.clear()  # rate-limit counters must not leak between tests
    broker.reset()  # a test that stopped the broker must not leave the next one's mails to the sweep
    # A request in English leaves English active in this thread (LocaleMiddleware activates and
    # never deactivates); code run outside a request in the next test must speak the default.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()
    broker.reset()


@pytest.fixture
def coordinator(db):
    return UserFactory(email="samordnare@regionexempel.se", roles=[Role.COORDINATOR], mfa=True)


@pytest.fixture
def finance(db):
    return UserFactory(email="ekonomi@regionexempel.se", roles=[Role.FINANCE], mfa=True)


@pytest.fixture
def administrator(db):
    return UserFactory(email="admin@regionexempel.se", roles=[Role.ADMINISTRATOR], mfa=True)


@pytest.fixture
def unit(db):
    return CareUnitFactory(name="Diabetesmottagningen")


@pytest.fixture
def unit_staff(db, unit):
    user = UserFactory(email="verksamhet@regionexempel.se", roles=[Role.UNIT_STAFF])
    unit.staff.add(user)
    return user


@pytest.fixture
def resource_user(db):
    user = UserFactory(email="resurs@exempel.se", full_name="Anna Andersson", roles=[Role.RESOURCE])
    ExperienceResourceFactory(user=user, first_name="Anna", last_name="Andersson", email=user.email)
    return user


@pytest.fixture
def outsider(db):
    """Signed in, but holds no role at all."""
    return UserFactory(email="utomstaende@example.com", roles=[])


@pytest.fixture
def personas(coordinator, finance, administrator, unit_staff, resource_user, outsider):
    return {
        "coordinator": coordinator,
        "finance": finance,
        "administrator": administrator,
        "unit_staff": unit_staff,
        "resource": resource_user,
        "outsider": outsider,
    }


def sign_in(client, user):
    """A fully signed-in session (password and MFA already passed)."""
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


@pytest.fixture
def login():
    return sign_in
