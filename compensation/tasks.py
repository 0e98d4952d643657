"""Thin periodic tasks; the work is in compensation.services."""

from celery import shared_task

from compensation import services


@shared_task(acks_late=True, ignore_result=True)
def purge_expired_payout_data() -> int:
    return services.purge_expired_payout_data()
