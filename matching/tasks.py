"""Thin tasks: the sweeps are safe to run twice or on two workers at once."""

from celery import shared_task

from matching import services


@shared_task(ignore_result=True)
def sweep_inquiries() -> dict:
    return {"expired": services.expire_overdue(), "reminded": services.send_reminders()}


@shared_task(ignore_result=True)
def refresh_fairness() -> int:
    return services.refresh_fairness()
