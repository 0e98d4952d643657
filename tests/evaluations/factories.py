"""Helpers for the evaluation tests: a done assignment, its evaluations made the way the signal makes them."""

import importlib

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from assignments.enums import AssignmentStatus
from assignments.models import Assignment
from assignments.signals import assignment_done
from evaluations.enums import Respondent
from evaluations.models import Evaluation
from tests.assignments.factories import AssignmentFactory


def done_assignment(**kwargs) -> Assignment:
    kwargs.setdefault("status", AssignmentStatus.DONE)
    kwargs.setdefault("done_at", timezone.now())
    return AssignmentFactory(**kwargs)


def finish(assignment: Assignment, actor=None) -> dict[str, Evaluation]:
    """What assignments does when completion is confirmed: the signal, inside the transaction."""
    with transaction.atomic():
        assignment_done.send(sender=Assignment, assignment=assignment, actor=actor)
    return {e.respondent: e for e in Evaluation.objects.filter(assignment=assignment)}


def evaluated(**kwargs) -> tuple[Assignment, Evaluation, Evaluation]:
    assignment = done_assignment(**kwargs)
    made = finish(assignment)
    return assignment, made[Respondent.UNIT], made[Respondent.RESOURCE]


def ensure_default_questions() -> None:
    """The default question sets come from a data migration; a transactional test's flush (the
    browser tests) can remove them, so put them back when they are missing."""
    migration = importlib.import_module("evaluations.migrations.0002_default_question_sets")
    migration.create(apps, None)
