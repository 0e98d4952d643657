"""Thin tasks: ids in, a service call out. Safe to run twice."""

from celery import shared_task

from notifications import delivery


@shared_task(acks_late=True, ignore_result=True)
def send_email(*, email_id: int) -> None:
    delivery.deliver(email_id)


@shared_task(ignore_result=True)
def deliver_pending_emails() -> int:
    return delivery.deliver_pending()
