import pytest

from tests.evaluations.factories import ensure_default_questions


@pytest.fixture(autouse=True)
def _default_questions(db):
    ensure_default_questions()
