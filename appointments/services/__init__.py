from .booking import (
    AppointmentNotPossible,
    BookingResult,
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_move,
)
from .coaches import coach_feed_revoke
from .slots import SlotGeneration, block_slots_generate, slot_times

__all__ = [
    "AppointmentNotPossible",
    "BookingResult",
    "SlotGeneration",
    "appointment_book",
    "appointment_cancel",
    "appointment_mark",
    "appointment_move",
    "block_slots_generate",
    "coach_feed_revoke",
    "slot_times",
]
