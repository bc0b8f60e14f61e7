"""The columns the generator fills, per model, in the order its `add()` calls pass them.

Any other column gets its field's default (see `writer.Table`), so a field added later with a
default needs no change here; a new required field without one stops the generator with its name.
"""

_STAMPS = ["created_at", "updated_at"]
_ADDRESS = ["street", "postcode", "city", "directions"]

COLUMNS = {
    "programmes.Library": ["id", "name", "slug", "website", "email", "phone", *_STAMPS],
    "programmes.Branch": [
        "id", "library_id", "name", "slug", "phone", "opening_hours", "is_active", *_ADDRESS, *_STAMPS,
    ],
    "partners.PartnerOrganisation": ["id", "name", "slug", "kind", "description", "website", *_STAMPS],
    "partners.PartnerOrganisation_libraries": ["id", "partnerorganisation_id", "library_id"],
    "partners.PartnerSite": ["id", "partner_id", "name", *_ADDRESS, *_STAMPS],
    "partners.PartnerContact": ["id", "partner_id", "name", "role", "email", "phone", *_STAMPS],
    "people.Worker": [
        "id", "library_id", "name", "kind", "organisation_id", "email", "phone", "topics", "availability",
        "is_active", *_STAMPS,
    ],
    "programmes.Programme": [
        "id", "library_id", "name", "slug", "summary", "description", "format", "audience", "language_level",
        "language_group", "delivery", "rhythm", "number_of_meetings", "session_duration", "default_capacity",
        "registration_required", "accepts_referrals", "default_branch_id", "what_to_bring", "is_published",
        "reminder_hours", "online_link_minutes_before", *_STAMPS,
    ],
    "programmes.Programme_referring_partners": ["id", "programme_id", "partnerorganisation_id"],
    "programmes.Programme_delivering_partners": ["id", "programme_id", "partnerorganisation_id"],
    "programmes.ProgrammeMaterial": [
        "id", "programme_id", "title", "kind", "provider_id", "url", "file", "notes", *_STAMPS,
    ],
    "partners.Agreement": [
        "id", "library_id", "partner_id", "programme_id", "title", "starts_on", "ends_on",
        "target_participants_per_year", "notes", *_STAMPS,
    ],
    "people.Participant": [
        "id", "library_id", "name", "phone", "email", "preferred_channel", "language", "registered_at_desk",
        "last_activity_at", *_STAMPS,
    ],
    "people.Consent": ["id", "participant_id", "purpose", "text", "method", "given_at", "withdrawn_at"],
    "partners.Referral": [
        "id", "library_id", "partner_id", "referrer_id", "participant_id", "programme_id", "kind",
        "consent_contact", "consent_report_attendance", "consent_given_on", "note", "status",
        "status_changed_at", "intake_at", "intake_place", "stop_reason", *_STAMPS,
    ],
    "programme_sessions.CourseRun": [
        "id", "programme_id", "title", "capacity", "registration_closes_at", *_STAMPS,
    ],
    "programme_sessions.Session": [
        "id", "programme_id", "run_id", "starts_at", "ends_at", "branch_id", "partner_site_id", "room",
        "online_url", "capacity", "topic", "description", "status", "cancellation_reason",
        "registration_opens_at", "registration_closes_at", "show_speakers", "count_registered",
        "count_present", "count_walk_ins", "count_no_show", "closed_at", *_STAMPS,
    ],
    "programme_sessions.SessionRole": ["id", "session_id", "worker_id", "role"],
    "programme_sessions.Registration": [
        "id", "public_id", "participant_id", "session_id", "run_id", "status", "source", "help_wanted",
        "referral_id", "cancelled_at", *_STAMPS,
    ],
    "programme_sessions.Attendance": ["id", "registration_id", "session_id", "status", "walk_in", "marked_at"],
    "programme_sessions.WalkInVisit": [
        "id", "date", "branch_id", "session_id", "programme_id", "number_of_people", "topics",
        "volunteer_id", "created_at",
    ],
    "messaging.OutboxMessage": [
        "id", "library_id", "participant_id", "registration_id", "session_id", "kind", "channel", "language",
        "context", "due_at", "status", "queued_at", "sent_at", "provider_id", "attempts", "last_error",
        "idempotency_key", "created_at",
    ],
    # portal.datagen.extras: appointments with a coach, the mini-library cart, certificates.
    "appointments.CoachProfile": [
        "id", "worker_id", "public_title", "public_name", "max_future_appointments", "reminder_hours",
        "is_active", *_STAMPS,
    ],
    "appointments.AvailabilityBlock": [
        "id", "coach_id", "programme_id", "branch_id", "partner_site_id", "room", "date", "start_time",
        "end_time", "slot_minutes", "pause_minutes", "topics", "is_published", *_STAMPS,
    ],
    "appointments.Slot": ["id", "block_id", "starts_at", "ends_at", "is_withdrawn"],
    "appointments.Appointment": [
        "id", "public_id", "slot_id", "participant_id", "topic", "status", "source", "cancelled_at", *_STAMPS,
    ],
    "minilibrary.Cart": [
        "id", "library_id", "name", "target_size", "rotation_weeks", "is_active", "notes", *_STAMPS,
    ],
    "minilibrary.Cart_partner_sites": ["id", "cart_id", "partnersite_id"],
    "minilibrary.Book": [
        "id", "cart_id", "title", "author", "easy_reading", "kind", "code", "location", "on_cart_since",
        "off_cart_since", "is_active", *_STAMPS,
    ],
    "minilibrary.Visit": [
        "id", "cart_id", "partner_site_id", "date", "volunteer_id", "session_id", "status", "notes", *_STAMPS,
    ],
    "minilibrary.Loan": [
        "id", "book_id", "visit_id", "borrower", "lent_at", "returned_visit_id", "returned_at",
        "borrower_removed_at",
    ],
    "minilibrary.Request": [
        "id", "visit_id", "book_id", "title", "borrower", "status", "fulfilled_visit_id", "closed_at",
        "reason", "borrower_removed_at", *_STAMPS,
    ],
    "certificates.Certificate": [
        "id", "code", "kind", "library_id", "programme_id", "run_id", "participant_id", "registration_id",
        "name", "programme_name", "library_name", "place", "first_meeting_on", "last_meeting_on",
        "meetings_attended", "meetings_held", "issued_at", "issued_by_id",
    ],
}  # fmt: skip
