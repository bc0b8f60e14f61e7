from celery import shared_task

from .services import participants_anonymise_expired as _anonymise_expired


@shared_task(name="privacy.tasks.participants_anonymise_expired")
def participants_anonymise_expired():
    """Daily (beat, 03:30): anonymise participants whose library's retention period has passed."""
    return _anonymise_expired()
