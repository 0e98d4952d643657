"""Thin periodic tasks: the sweeps are safe to run twice or on two workers at once."""

from celery import shared_task

from assignments import reminders


@shared_task(acks_late=True, ignore_result=True)
def sweep_reminders() -> dict:
    return reminders.sweep()
