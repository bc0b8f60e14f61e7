from .registrations import (
    RegistrationClosed,
    RegistrationResult,
    registration_cancel,
    registration_create,
)
from .series import session_dates, session_series_create

__all__ = [
    "RegistrationClosed",
    "RegistrationResult",
    "registration_cancel",
    "registration_create",
    "session_dates",
    "session_series_create",
]
