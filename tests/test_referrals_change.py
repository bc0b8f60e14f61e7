"""A consultant corrects a referral the library has not acted on yet, or withdraws it: only their own
organisation's, recorded in the history and the audit log, the library told. (The participant records
behind a correction, and races with the library, are in tests/test_referrals_change_records.py.)"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from messaging.models import OutboxMessage
from partners.change_selectors import referrals_withdrawn_for_staff
from partners.models import Referral, ReferralAuditEvent, ReferralStatusChange
from partners.services import ReferralRefused, referral_enrol, referral_status_change, referral_withdraw
from people.models import Consent
from sessions.models import Registration
from tests import factories
from tests.referral_support import course_run_for, refer

pytest_plugins = ["tests.referral_fixtures"]
pytestmark = pytest.mark.django_db

Status = Referral.Status
Action = ReferralAuditEvent.Action


def correct_url(referral):
    return reverse("referrers:correct", args=[referral.pk])


def withdraw_url(referral):
    return reverse("referrers:withdraw", args=[referral.pk])


def detail_url(referral):
    return reverse("referrers:detail", args=[referral.pk])


def dutch(text):
    """The Dutch words for an English source text; fails if there is no translation."""
    with translation.override("nl"):
        translated = gettext(text)
    assert translated != text, f"no Dutch for {text!r}"
    return translated


def dutch_status(status):
    with translation.override("nl"):
        return str(Status(status).label)


def correction(**overrides):
    """The correction form for the fixture's referral of Fatma Yilmaz, as it is shown (nothing changed)."""
    data = {
        "name": "Fatma Yilmaz",
        "phone": "06 12300011",
        "email": "",
        "preferred_channel": "sms",
        "kind": "voluntary",
        "note": "Bel liever na 10 uur.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff(db):
    user = factories.SuperUserFactory(username="medewerker")
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def colleague_a(a):
    client = Client()
    client.force_login(a.colleague.user)
    return client


# Correcting ------------------------------------------------------------------------------------------


def test_the_correction_form_shows_what_was_given_and_the_rule(client_a, a):
    page = client_a.get(correct_url(a.referral))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="06 12300011"' in html and 'value="Fatma Yilmaz"' in html
    assert "Bel liever na 10 uur." in html
    assert dutch("Save the correction") in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert ReferralAuditEvent.objects.filter(
        referral=a.referral, action=Action.VIEWED, detail="correct", user=a.consultant.user
    ).exists()


def test_a_corrected_phone_number_reaches_the_library_and_shows_in_the_history(client_a, a):
    participant = a.referral.participant
    response = client_a.post(
        correct_url(a.referral),
        correction(phone="06 12300099", email="Fatma@Voorbeeld.nl", note="Bel na 11 uur."),
    )
    assert response.status_code == 302 and response["Location"] == detail_url(a.referral)

    a.referral.refresh_from_db()
    participant.refresh_from_db()
    assert a.referral.participant_id == participant.pk  # the referral's own record, corrected in place
    assert (str(participant.phone), participant.email) == ("+31612300099", "fatma@voorbeeld.nl")
    assert (str(a.referral.participant_phone), a.referral.participant_email) == (
        "+31612300099",
        "fatma@voorbeeld.nl",
    )
    assert a.referral.note == "Bel na 11 uur."
    assert a.referral.status == Status.RECEIVED
    (event,) = ReferralAuditEvent.objects.filter(referral=a.referral, action=Action.CORRECTED)
    assert (event.user, event.partner, event.detail) == (a.consultant.user, a.partner, "phone, email, note")

    detail = client_a.get(detail_url(a.referral))
    html = detail.content.decode()
    assert "06 12300099" in html and "fatma@voorbeeld.nl" in html and "Bel na 11 uur." in html
    (entry,) = [entry for entry in detail.context["history"] if entry.change is None]
    assert entry.by == a.consultant.name
    with translation.override("nl"):
        assert [str(label) for label in entry.corrected] == [
            gettext("phone number"),
            gettext("e-mail address"),
            gettext("note"),
        ]
    assert dutch("Corrected") in html
    assert dutch("Thank you. The correction is saved. The library sees it at once.") in html


def test_the_name_and_the_kind_are_corrected_too(client_a, a):
    client_a.post(correct_url(a.referral), correction(name="Fatma Yılmaz", kind="mandatory"))
    a.referral.refresh_from_db()
    assert (a.referral.participant_name, a.referral.kind) == ("Fatma Yılmaz", "mandatory")
    assert a.referral.participant.name == "Fatma Yılmaz"


def test_saving_without_a_change_records_nothing(client_a, a):
    response = client_a.post(correct_url(a.referral), correction(), follow=True)
    assert dutch("You did not change anything.") in response.content.decode()
    assert not ReferralAuditEvent.objects.filter(action=Action.CORRECTED).exists()


def test_field_errors_are_in_dutch_next_to_the_field_and_what_was_typed_stays(client_a, a):
    data = correction(
        name="",
        phone="12",
        email="geen-adres",
        note="Haar nummer is 123456789.",
    )
    response = client_a.post(correct_url(a.referral), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["name"] == [dutch("Fill in the participant's name.")]
    assert errors["phone"] == [dutch("This is not a correct phone number. Type it like this: 06 12345678.")]
    assert errors["email"] == [dutch("This is not an e-mail address. It looks like this: name@example.nl.")]
    assert errors["note"] == [dutch("This looks like a citizen service number (BSN). Leave it out.")]
    html = response.content.decode()
    assert 'value="12"' in html and 'value="geen-adres"' in html and "Haar nummer is 123456789." in html
    assert 'aria-invalid="true"' in html
    a.referral.refresh_from_db()
    assert str(a.referral.participant_phone) == "+31612300011"


def test_the_chosen_channel_needs_its_contact_detail(client_a, a):
    response = client_a.post(correct_url(a.referral), correction(preferred_channel="email"))
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        dutch("You chose e-mail. Fill in the e-mail address.")
    ]


def test_a_correction_never_turns_consent_on(client_a, a):
    referral = refer(a, name="Ruud Smit", phone="+31612300066", consent_report_attendance=False)
    data = correction(name="Ruud Smit", phone="06 12300066", note="", consent_report_attendance="on")
    data.update(consent_contact="on", consent_given_on=timezone.localdate().isoformat(), stop_reporting="on")
    page = client_a.get(correct_url(referral))
    assert "stop_reporting" not in page.context["form"].fields
    client_a.post(correct_url(referral), {**data, "note": "Nieuw."})
    referral.refresh_from_db()
    assert referral.note == "Nieuw." and referral.consent_report_attendance is False
    assert not Consent.objects.filter(
        participant=referral.participant, purpose=Consent.Purpose.REPORT_TO_REFERRER
    ).exists()


def test_taking_back_the_consent_to_report_back_uses_the_consent_withdrawal(client_a, a):
    consent = Consent.objects.get(
        participant=a.referral.participant, purpose=Consent.Purpose.REPORT_TO_REFERRER
    )
    response = client_a.post(correct_url(a.referral), correction(stop_reporting="on"))
    assert response.status_code == 302
    a.referral.refresh_from_db()
    consent.refresh_from_db()
    assert a.referral.consent_report_attendance is False and consent.withdrawn_at is not None
    assert ReferralAuditEvent.objects.get(action=Action.CORRECTED).detail == "consent_report_attendance"
    assert Consent.objects.get(purpose=Consent.Purpose.CONTACT, participant=a.referral.participant).is_active


@pytest.mark.parametrize("status", ["intake_planned", "enrolled", "stopped", "no_show", "withdrawn"])
def test_once_the_library_acts_a_correction_is_refused_and_nothing_changes(client_a, a, status):
    Referral.objects.filter(pk=a.referral.pk).update(
        status=status, intake_at=timezone.now(), stop_reason="x", withdrawal_reason="moved"
    )
    page = client_a.get(correct_url(a.referral))
    assert page.status_code == 200 and page.context["allowed"] is False
    assert dutch("Save the correction") not in page.content.decode()
    assert 'name="phone"' not in page.content.decode()
    assert correct_url(a.referral) not in client_a.get(detail_url(a.referral)).content.decode()

    response = client_a.post(correct_url(a.referral), correction(phone="06 12300099", note="Nieuw nummer."))
    assert response.status_code == 409
    html = response.content.decode()
    assert (
        dutch(
            "The library has already started on this referral, so you cannot correct it here any more. "
            "Call or e-mail the library with the change."
        )
        in html
    )
    assert "06 12300099" in html and "Nieuw nummer." in html  # what was typed, to pass on
    a.referral.refresh_from_db()
    assert str(a.referral.participant_phone) == "+31612300011"
    assert str(a.referral.participant.phone) == "+31612300011"
    assert not ReferralAuditEvent.objects.filter(action=Action.CORRECTED).exists()


# Withdrawing -----------------------------------------------------------------------------------------


def test_the_withdraw_page_says_what_happens(client_a, a):
    page = client_a.get(withdraw_url(a.referral))
    assert page.status_code == 200
    html = page.content.decode()
    assert dutch("What happens") in html
    assert dutch("The library sees at once that you withdrew the referral, and why.") in html
    with translation.override("nl"):
        assert all(str(label) in html for _value, label in Referral.WithdrawalReason.choices)
    assert ReferralAuditEvent.objects.filter(
        referral=a.referral, action=Action.VIEWED, detail="withdraw"
    ).exists()


def test_a_colleague_withdraws_the_referral_and_the_library_and_the_referrer_learn_it(colleague_a, a, staff):
    response = colleague_a.post(
        withdraw_url(a.referral), {"reason": "found_work", "note": "Werkt bij de Hema."}
    )
    assert response.status_code == 302 and response["Location"] == detail_url(a.referral)

    a.referral.refresh_from_db()
    assert (a.referral.status, a.referral.withdrawal_reason, a.referral.withdrawal_note) == (
        Status.WITHDRAWN,
        "found_work",
        "Werkt bij de Hema.",
    )
    change = a.referral.status_changes.order_by("changed_at", "pk").last()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "received",
        "withdrawn",
        a.colleague.user,
    )
    (event,) = ReferralAuditEvent.objects.filter(referral=a.referral, action=Action.WITHDRAWN)
    assert (event.user, event.partner, event.detail) == (
        a.colleague.user,
        a.partner,
        "received → withdrawn: found_work",
    )

    # The consultant who made the referral gets the usual e-mail through the outbox.
    (message,) = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.REFERRAL_STATUS, contact=a.consultant)
    assert message.context["status"] == dutch_status("withdrawn")

    # Staff: off the new referrals, and on the referral's page with the reason and who did it.
    assert a.referral not in staff.get(reverse("admin:index")).context["new_referrals"]
    page = staff.get(reverse("admin:partners_referral_change", args=[a.referral.pk]))
    html = page.content.decode()
    assert dutch_status("withdrawn") in html and "Werkt bij de Hema." in html
    assert a.colleague.user.username in html or a.colleague.user.email in html
    listed = staff.get(reverse("admin:partners_referral_changelist") + "?status__exact=withdrawn")
    assert list(listed.context["cl"].result_list) == [a.referral]
    recent, count = referrals_withdrawn_for_staff(
        Referral.objects.all(), since=timezone.now() - timedelta(days=7)
    )
    assert (list(recent), count) == ([a.referral], 1)

    # The detail page: the reason, the history with who withdrew, and no more links to change it.
    detail = colleague_a.get(detail_url(a.referral)).content.decode()
    assert dutch("Found work") in detail and "Werkt bij de Hema." in detail
    assert a.colleague.name in detail
    assert correct_url(a.referral) not in detail and withdraw_url(a.referral) not in detail


def test_withdrawing_your_own_referral_sends_you_no_e_mail(client_a, a):
    client_a.post(withdraw_url(a.referral), {"reason": "moved"})
    a.referral.refresh_from_db()
    assert a.referral.status == Status.WITHDRAWN
    assert not OutboxMessage.objects.filter(kind=OutboxMessage.Kind.REFERRAL_STATUS).exists()


def test_places_the_participant_has_stay_and_the_referrer_stops_following(client_a, a, staff):
    run, _sessions = course_run_for(a.programme)
    result, _change = referral_enrol(referral=a.referral, user=staff.user, run=run)
    registration = result.registration
    pending = OutboxMessage.objects.filter(registration=registration, status=OutboxMessage.Status.PENDING)
    before = pending.count()
    assert client_a.get(detail_url(a.referral)).context["row"].next_session is not None

    assert client_a.post(withdraw_url(a.referral), {"reason": "not_now"}).status_code == 302

    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert pending.count() == before  # reminders still go out: the person may keep coming
    row = client_a.get(detail_url(a.referral)).context["row"]
    assert (row.next_session, row.attendance, row.completed) == (None, None, None)


def test_a_withdrawn_referral_is_final_and_the_person_may_be_referred_again(a, staff):
    referral_withdraw(referral=a.referral, contact=a.consultant, user=a.consultant.user, reason="mistake")
    with pytest.raises(ReferralRefused):
        referral_status_change(
            referral=a.referral, status="intake_planned", user=staff.user, intake_at=timezone.now()
        )
    with pytest.raises(ReferralRefused):
        referral_withdraw(referral=a.referral, contact=a.consultant, user=a.consultant.user, reason="moved")
    status_page = staff.get(reverse("admin:partners_referral_status", args=[a.referral.pk]))
    assert status_page.context["form"].fields["status"].choices == []
    again = refer(a, name="Fatma Yilmaz", phone="+31612300011")
    assert again.pk != a.referral.pk and again.status == Status.RECEIVED


def test_withdraw_errors_are_in_dutch_next_to_the_field_and_the_note_stays(client_a, a):
    response = client_a.post(withdraw_url(a.referral), {"reason": "", "note": "Zie mail."})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == [dutch("Choose a reason.")]
    assert "Zie mail." in response.content.decode()

    response = client_a.post(withdraw_url(a.referral), {"reason": "other", "note": "  "})
    assert response.context["form"].errors["note"] == [
        dutch("You chose “Another reason”. Write down which reason.")
    ]
    assert response.context["form"]["reason"].value() == "other"

    response = client_a.post(withdraw_url(a.referral), {"reason": "elders", "note": "x"})
    assert response.context["form"].errors["reason"] == [dutch("Choose a reason from the list.")]
    a.referral.refresh_from_db()
    assert a.referral.status == Status.RECEIVED


@pytest.mark.parametrize("status", ["active", "completed", "stopped", "no_show"])
def test_after_the_participant_started_withdrawing_is_refused(client_a, a, status):
    Referral.objects.filter(pk=a.referral.pk).update(status=status, stop_reason="x")
    assert withdraw_url(a.referral) not in client_a.get(detail_url(a.referral)).content.decode()
    page = client_a.get(withdraw_url(a.referral))
    assert page.status_code == 200 and page.context["allowed"] is False
    assert 'name="reason"' not in page.content.decode()
    response = client_a.post(withdraw_url(a.referral), {"reason": "moved"})
    assert response.status_code == 409
    assert dutch("You can no longer withdraw this referral here. Call or e-mail the library.") in (
        response.content.decode()
    )
    a.referral.refresh_from_db()
    assert a.referral.status == status


@pytest.mark.parametrize("status", ["received", "intake_planned", "enrolled"])
def test_the_detail_page_offers_what_is_allowed_and_explains_the_rules(client_a, a, status):
    Referral.objects.filter(pk=a.referral.pk).update(status=status, intake_at=timezone.now())
    html = client_a.get(detail_url(a.referral)).content.decode()
    assert (correct_url(a.referral) in html) is (status == "received")
    assert withdraw_url(a.referral) in html
    assert dutch("You can withdraw the referral until the participant has started.") in html


# Only the own organisation -------------------------------------------------------------------------


def test_another_organisations_consultant_gets_404_and_changes_nothing(client_a, a, b):
    for url in (correct_url(b.referral), withdraw_url(b.referral)):
        assert client_a.get(url).status_code == 404, url
    assert client_a.post(correct_url(b.referral), correction(name="Iemand Anders")).status_code == 404
    assert client_a.post(withdraw_url(b.referral), {"reason": "moved"}).status_code == 404
    b.referral.refresh_from_db()
    assert (b.referral.status, b.referral.participant_name) == (Status.RECEIVED, "Sevda Aydin")
    with pytest.raises(ReferralRefused):
        referral_withdraw(referral=b.referral, contact=a.consultant, user=a.consultant.user, reason="moved")


def test_anonymous_visitors_get_the_log_in_page(client, a):
    for url in (correct_url(a.referral), withdraw_url(a.referral)):
        for response in (client.get(url), client.post(url, {"reason": "moved"})):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("account_login") + "?next="), url
    a.referral.refresh_from_db()
    assert a.referral.status == Status.RECEIVED


def test_accounts_that_are_not_consultants_get_403(client, a):
    client.force_login(factories.SuperUserFactory(username="staf"))
    assert client.get(correct_url(a.referral)).status_code == 403
    assert client.post(withdraw_url(a.referral), {"reason": "moved"}).status_code == 403


def test_changes_need_post_with_a_csrf_token(client_a, a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(a.consultant.user)
    assert client.post(withdraw_url(a.referral), {"reason": "moved"}).status_code == 403
    assert client.post(correct_url(a.referral), correction(note="Anders.")).status_code == 403
    for url in (withdraw_url(a.referral), correct_url(a.referral)):
        assert client_a.put(url).status_code == 405 and client_a.delete(url).status_code == 405
    a.referral.refresh_from_db()
    assert a.referral.status == Status.RECEIVED
    assert not ReferralStatusChange.objects.filter(referral=a.referral, to_status="withdrawn").exists()
