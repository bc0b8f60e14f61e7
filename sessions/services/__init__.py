from .notifications import session_changes_notify, session_message_send
from .registrations import (
    RegistrationClosed,
    RegistrationResult,
    registration_cancel,
    registration_create,
    registration_waitlist_fill,
)
from .series import session_dates, session_series_create

__all__ = [
    "RegistrationClosed",
    "RegistrationResult",
    "registration_cancel",
    "registration_create",
    "registration_waitlist_fill",
    "session_changes_notify",
    "session_dates",
    "session_message_send",
    "session_series_create",
]
