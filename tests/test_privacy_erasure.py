"""An erased person leaves no trace but a count: every text column of every table is scanned."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.utils import timezone

from messaging.models import OutboxMessage
from people.models import Participant
from people.services import participant_find_or_create
from privacy.models import AuditEvent
from privacy.services import participant_anonymise, participant_erase
from sessions.models import Registration
from tests import factories
from tests.test_privacy_support import (
    EMAIL,
    NAME,
    PHONE,
    other_apps_rows,
    person_with_everything,
    scan,
    text_columns,
    totals,
)

pytestmark = pytest.mark.django_db


def test_the_scan_finds_the_person_before_erasure():
    # Guards the guard: the scan really looks in the columns where the person's data is.
    person_with_everything(staff=factories.SuperUserFactory())
    found = {(table, column) for table, column, _term in scan()}
    assert {
        ("people_participant", "name"),
        ("people_participant", "phone"),
        ("people_participant", "email"),
        ("programme_sessions_registration", "help_wanted"),
        ("partners_referral", "participant_name"),
        ("partners_referral", "note"),
        ("partners_referralstatuschange", "stop_reason"),
        ("messaging_outboxmessage", "context"),
        ("messaging_outboxmessage", "last_error"),
        ("django_admin_log", "object_repr"),
    } <= found
    assert len(text_columns()) > 50


def test_erasure_leaves_no_trace_but_the_counts():
    staff = factories.SuperUserFactory()
    participant = person_with_everything(staff=staff)
    others = other_apps_rows(participant)
    bystander = factories.ParticipantFactory(library=participant.library, name="Henk de Vries")
    before = totals(participant.library)
    before_rows = {type(row): type(row).objects.count() for row in others}
    found = {table for table, _column, _term in scan()}
    assert {row._meta.db_table for row in others} <= found

    participant_erase(participant=participant, actor=staff)

    assert scan() == []
    assert totals(participant.library) == before
    assert {model: model.objects.count() for model in before_rows} == before_rows
    participant.refresh_from_db()
    assert participant.anonymised_at is not None
    assert (participant.name, participant.phone, participant.email) == ("", "", "")
    bystander.refresh_from_db()
    assert bystander.name == "Henk de Vries"
    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASED)
    assert (event.user, event.participant_number, event.detail) == (staff, participant.pk, "erasure request")


def test_erasure_deletes_the_persons_own_account_but_not_staffs():
    participant = person_with_everything()
    account = get_user_model().objects.create_user("zwaantje", EMAIL, "een-lang-wachtwoord")
    EmailAddress.objects.create(user=account, email=EMAIL, primary=True, verified=True)
    Participant.objects.filter(pk=participant.pk).update(user=account)
    staff_member = factories.SuperUserFactory()
    other = factories.ParticipantFactory(user=staff_member)

    participant_erase(participant=participant, actor=None)
    participant_erase(participant=other, actor=None)

    assert not get_user_model().objects.filter(pk=account.pk).exists()
    assert scan() == []
    assert get_user_model().objects.filter(pk=staff_member.pk).exists()


def test_waiting_messages_are_cancelled_and_sent_ones_kept_blank():
    participant = person_with_everything()
    participant_anonymise(participant=participant, actor=None, reason="test")
    messages = OutboxMessage.objects.filter(participant=participant)
    assert set(messages.values_list("status", flat=True)) == {"cancelled", "sent"}
    assert all(m.context == {} and m.last_error == "" for m in messages)
    to_referrer = OutboxMessage.objects.get(kind="referral_status")
    assert (to_referrer.status, to_referrer.context) == ("cancelled", {})


def test_a_stopped_referral_keeps_a_reason_without_the_words():
    participant = person_with_everything()
    participant_anonymise(participant=participant, actor=None, reason="test")
    referral = participant.referrals.get()
    assert referral.status == "stopped"
    assert referral.stop_reason
    assert "Zwaantje" not in referral.stop_reason


def test_an_erased_person_signing_up_again_is_a_new_record():
    participant = person_with_everything()
    participant_erase(participant=participant, actor=None)
    again = participant_find_or_create(library=participant.library, name=NAME, phone=PHONE, email=EMAIL)
    assert again.pk != participant.pk
    assert again.name == NAME


def test_many_anonymised_people_fit_in_one_library():
    library = factories.LibraryFactory()
    people = factories.ParticipantFactory.create_batch(3, library=library)
    for person in people:
        participant_anonymise(participant=person, actor=None, reason="test")
    assert Participant.objects.filter(library=library, anonymised_at__isnull=False).count() == 3


def test_erasure_gives_up_places_at_meetings_to_come():
    session = factories.SessionFactory(capacity=1)
    mine = factories.RegistrationFactory(session=session, participant__name=NAME)
    waiting = factories.RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
    participant_erase(participant=mine.participant, actor=None)
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    # The messages to the erased person are not sent; the one to the person who moved up is.
    assert not OutboxMessage.objects.filter(participant=mine.participant, status="pending").exists()
    assert OutboxMessage.objects.filter(
        registration=waiting, kind="waitlist_promoted", status="pending"
    ).exists()


def test_anonymising_twice_changes_nothing_more():
    participant = person_with_everything()
    first = participant_anonymise(participant=participant, actor=None, reason="test").anonymised_at
    later = timezone.now() + timedelta(days=1)
    second = participant_anonymise(participant=participant, actor=None, reason="test", now=later)
    assert second.anonymised_at == first
    assert scan() == []


def test_the_admin_history_keeps_its_entries_without_the_name():
    staff = factories.SuperUserFactory()
    participant = person_with_everything(staff=staff)
    entry = LogEntry.objects.get()
    participant_erase(participant=participant, actor=staff)
    entry.refresh_from_db()
    assert entry.object_repr == f"#{entry.object_id}"
    assert NAME not in entry.change_message
