"""Thin tasks: the sweep is safe to run twice or on two workers at once."""

from celery import shared_task

from evaluations import services


@shared_task(ignore_result=True)
def sweep_evaluations() -> dict:
    # Closing needs no write: an evaluation past closes_at simply cannot be answered.
    return {"created": services.create_missing(), "reminded": services.send_reminders()}
