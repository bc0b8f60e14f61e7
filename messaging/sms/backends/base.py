"""Base class for SMS backends."""

from abc import ABC, abstractmethod

from messaging.sms import SmsMessage


class BaseSmsBackend(ABC):
    """Subclasses implement `send()`, returning the provider's id for the message.

    With `fail_silently=True` a backend logs a failure and returns "" instead of raising; the
    dispatcher should leave it False so that it can tell temporary from permanent failures.
    """

    def __init__(self, fail_silently=False, **kwargs):
        self.fail_silently = fail_silently

    @abstractmethod
    def send(self, message: SmsMessage) -> str:
        raise NotImplementedError
