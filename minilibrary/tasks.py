from celery import shared_task

from .services import loans_anonymise_expired


@shared_task(ignore_result=True)
def borrower_labels_anonymise_expired():
    """Daily (beat): blank the borrower labels whose keeping period has passed."""
    return loans_anonymise_expired()
