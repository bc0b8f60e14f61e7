from .attendance import (
    AttendanceNotPossible,
    attendance_mark,
    attendance_walk_in_add,
    session_close,
    walk_in_visit_delete,
    walk_in_visit_record,
)
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
    "AttendanceNotPossible",
    "RegistrationClosed",
    "RegistrationResult",
    "attendance_mark",
    "attendance_walk_in_add",
    "registration_cancel",
    "registration_create",
    "registration_waitlist_fill",
    "session_changes_notify",
    "session_close",
    "session_dates",
    "session_message_send",
    "session_series_create",
    "walk_in_visit_delete",
    "walk_in_visit_record",
]
