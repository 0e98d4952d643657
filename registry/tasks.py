"""Thin periodic tasks; the work is in registry.checks."""

from celery import shared_task

from registry import checks


@shared_task(acks_late=True, ignore_result=True)
def send_yearly_checks() -> int:
    return checks.send_yearly_checks()


@shared_task(acks_late=True, ignore_result=True)
def purge_departed() -> int:
    return checks.purge_departed()
