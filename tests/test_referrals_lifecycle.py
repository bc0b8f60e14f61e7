"""A referral from the form to "completed": every step recorded with who and when, the referrer told."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from messaging.models import OutboxMessage
from messaging.rendering import render_message
from partners.models import Referral, ReferralAuditEvent, ReferralStatusChange
from partners.services import ReferralRefused, referral_status_change
from people.models import Consent, Participant
from sessions.models import Registration
from tests import factories
from tests.referral_support import course_run_for, refer

pytest_plugins = ["tests.referral_fixtures"]
pytestmark = pytest.mark.django_db

Status = Referral.Status


@pytest.fixture
def staff(db):
    user = factories.SuperUserFactory(username="medewerker", first_name="Mira", last_name="Bakker")
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def status_url(referral):
    return reverse("admin:partners_referral_status", args=[referral.pk])


def local_parts(moment):
    local = timezone.localtime(moment)
    return local.strftime("%d-%m-%Y"), local.strftime("%H:%M")


def referral_messages(referral):
    """Messages to the referrer about this referral (the outbox key names the referral)."""
    return OutboxMessage.objects.filter(
        kind=OutboxMessage.Kind.REFERRAL_STATUS, idempotency_key__startswith=f"referral_status:{referral.pk}:"
    ).order_by("created_at", "pk")


def dutch(status):
    with translation.override("nl"):
        return str(Status(status).label)


def test_a_referral_travels_from_the_form_to_completed_with_the_referrer_told_at_each_step(
    client_a, a, staff
):
    run, sessions = course_run_for(a.programme)
    form = {
        "name": "Jan Koster",
        "phone": "06 12300033",
        "preferred_channel": "call",
        "programme": a.programme.pk,
        "kind": "voluntary",
        "consent_contact": "on",
        "consent_report_attendance": "on",
        "consent_given_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "note": "Kan niet op vrijdag.",
    }
    response = client_a.post(reverse("referrers:new"), form)
    referral = Referral.objects.get(participant_name="Jan Koster")
    assert response["Location"] == reverse("referrers:detail", args=[referral.pk])
    assert (referral.partner, referral.referrer, referral.library) == (
        a.partner,
        a.consultant,
        a.programme.library,
    )
    assert referral.status == Status.RECEIVED
    participant = referral.participant
    assert str(participant.phone) == "+31612300033"
    assert set(participant.consents.values_list("purpose", "method")) == {
        (Consent.Purpose.CONTACT, Consent.Method.REFERRAL),
        (Consent.Purpose.REPORT_TO_REFERRER, Consent.Method.REFERRAL),
    }

    # Staff see it on the admin home page.
    home = staff.get(reverse("admin:index"))
    assert referral in home.context["new_referrals"]
    assert "week_sessions" in home.context and "failed_messages" in home.context
    assert reverse("admin:partners_referral_change", args=[referral.pk]) in home.content.decode()

    # Intake planned, at IBN-like partner premises.
    intake = timezone.now() + timedelta(days=3)
    day, time = local_parts(intake)
    response = staff.post(
        status_url(referral),
        {
            "status": "intake_planned",
            "intake_at_0": day,
            "intake_at_1": time,
            "intake_place": "Werkplein, kamer 2",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    referral.refresh_from_db()
    assert referral.status == Status.INTAKE_PLANNED and referral.intake_place == "Werkplein, kamer 2"
    assert referral not in staff.get(reverse("admin:index")).context["new_referrals"]

    # Enrolled in the course run: a registration through the referral, no second participant.
    response = staff.post(
        reverse("admin:partners_referral_enrol", args=[referral.pk]), {"target": f"run:{run.pk}"}
    )
    assert response.status_code == 302
    registration = Registration.objects.get(referral=referral)
    assert (registration.run, registration.source, registration.participant) == (run, "referral", participant)
    assert Participant.objects.filter(phone="+31612300033").count() == 1
    assert OutboxMessage.objects.filter(registration=registration, kind="registration_confirmed").exists()

    for status in ("active", "completed"):
        assert staff.post(status_url(referral), {"status": status}).status_code == 302

    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED
    changes = list(referral.status_changes.order_by("changed_at", "pk"))
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("", "received"),
        ("received", "intake_planned"),
        ("intake_planned", "enrolled"),
        ("enrolled", "active"),
        ("active", "completed"),
    ]
    assert changes[0].changed_by == a.consultant.user
    assert {c.changed_by for c in changes[1:]} == {staff.user}
    assert all(c.changed_at for c in changes)
    assert changes[2].registration == registration

    # The referrer got a message at every step after the referral, in the outbox.
    messages = list(referral_messages(referral))
    assert [m.context["status"] for m in messages] == [
        dutch(s) for s in ("intake_planned", "enrolled", "active", "completed")
    ]
    assert {m.channel for m in messages} == {"email"}
    rendered = render_message(messages[0])
    assert "Jan Koster" in rendered.body
    assert reverse("referrers:detail", args=[referral.pk]) in rendered.body

    # And sees it on the dashboard.
    dashboard = client_a.get(reverse("referrers:dashboard"))
    (row,) = [row for row in dashboard.context["rows"] if row.referral.pk == referral.pk]
    assert row.status == "completed" and row.completed is True


def test_the_history_is_shown_read_only_in_the_admin(staff, a):
    referral_status_change(referral=a.referral, status="no_show", user=staff.user)
    page = staff.get(reverse("admin:partners_referral_change", args=[a.referral.pk]))
    assert page.status_code == 200
    inline = next(f for f in page.context["inline_admin_formsets"] if f.opts.model is ReferralStatusChange)
    assert not inline.has_add_permission and not inline.has_change_permission
    assert "status" not in page.context["adminform"].form.fields  # only through the status page


def test_a_referral_added_in_the_admin_starts_its_history(staff, a):
    participant = factories.ParticipantFactory(library=a.programme.library)
    response = staff.post(
        reverse("admin:partners_referral_add"),
        {
            "library": a.programme.library.pk,
            "partner": a.partner.pk,
            "referrer": a.consultant.pk,
            "participant": participant.pk,
            "participant_name": participant.name,
            "programme": a.programme.pk,
            "kind": "mandatory",
            "consent_contact": "on",
            "consent_given_on": timezone.localdate().strftime("%d-%m-%Y"),
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    referral = Referral.objects.get(participant=participant)
    (change,) = referral.status_changes.all()
    assert (change.to_status, change.changed_by) == ("received", staff.user)
    assert referral.audit_events.filter(action=ReferralAuditEvent.Action.CREATED, user=staff.user).exists()


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("received", "completed"),
        ("received", "active"),
        ("completed", "received"),
        ("enrolled", "intake_planned"),
    ],
)
def test_steps_out_of_order_are_refused(staff, a, start, target):
    Referral.objects.filter(pk=a.referral.pk).update(status=start, intake_at=timezone.now())
    with pytest.raises(ReferralRefused) as refused:
        referral_status_change(referral=a.referral, status=target, user=staff.user)
    assert refused.value.field == "status"
    assert not referral_messages(a.referral).exists()


def test_the_status_page_offers_only_the_possible_next_steps(staff, a):
    form = staff.get(status_url(a.referral)).context["form"]
    assert {value for value, _label in form.fields["status"].choices} == {
        "intake_planned",
        "enrolled",
        "stopped",
        "no_show",
    }


def test_an_intake_needs_a_date_and_stopping_needs_a_reason(staff, a):
    response = staff.post(status_url(a.referral), {"status": "intake_planned", "intake_place": "IBN"})
    assert "intake_at" in response.context["form"].errors
    assert response.context["form"]["intake_place"].value() == "IBN"
    response = staff.post(status_url(a.referral), {"status": "stopped", "stop_reason": "  "})
    assert "stop_reason" in response.context["form"].errors
    a.referral.refresh_from_db()
    assert a.referral.status == Status.RECEIVED
    assert a.referral.status_changes.count() == 1


def test_stopped_with_a_reason_and_taken_up_again(staff, a):
    referral_status_change(
        referral=a.referral, status="stopped", user=staff.user, stop_reason="Heeft werk gevonden."
    )
    a.referral.refresh_from_db()
    assert a.referral.stop_reason == "Heeft werk gevonden."
    referral_status_change(referral=a.referral, status="received", user=staff.user)
    a.referral.refresh_from_db()
    assert (a.referral.status, a.referral.stop_reason) == ("received", "")
    stopped = a.referral.status_changes.get(to_status="stopped")
    assert stopped.stop_reason == "Heeft werk gevonden."


def test_enrolling_for_a_single_meeting(staff, b):
    meeting = factories.SessionFactory(programme=b.programme, branch=b.programme.default_branch)
    response = staff.post(
        reverse("admin:partners_referral_enrol", args=[b.referral.pk]), {"target": f"session:{meeting.pk}"}
    )
    assert response.status_code == 302
    assert Registration.objects.get(referral=b.referral).session == meeting


def test_enrolling_in_another_programmes_meeting_is_refused(staff, a, b):
    meeting = factories.SessionFactory(programme=b.programme, branch=b.programme.default_branch)
    response = staff.post(
        reverse("admin:partners_referral_enrol", args=[a.referral.pk]), {"target": f"session:{meeting.pk}"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Registration.objects.exists()


def test_a_full_course_puts_the_referral_on_the_waiting_list(staff, a):
    run, _sessions = course_run_for(a.programme)
    run.capacity = 1
    run.save()
    factories.RegistrationFactory(session=None, run=run)
    staff.post(reverse("admin:partners_referral_enrol", args=[a.referral.pk]), {"target": f"run:{run.pk}"})
    registration = Registration.objects.get(referral=a.referral)
    assert registration.status == Registration.Status.WAITLISTED
    a.referral.refresh_from_db()
    assert a.referral.status == Status.ENROLLED


def test_an_already_registered_participant_is_linked_not_signed_up_twice(staff, a):
    run, _sessions = course_run_for(a.programme)
    earlier = factories.RegistrationFactory(session=None, run=run, participant=a.referral.participant)
    staff.post(reverse("admin:partners_referral_enrol", args=[a.referral.pk]), {"target": f"run:{run.pk}"})
    earlier.refresh_from_db()
    assert earlier.referral == a.referral
    assert Registration.objects.filter(run=run, participant=a.referral.participant).count() == 1


def test_a_re_planned_intake_is_a_change_of_its_own(staff, a):
    first = timezone.now() + timedelta(days=2)
    referral_status_change(referral=a.referral, status="intake_planned", user=staff.user, intake_at=first)
    referral_status_change(
        referral=a.referral, status="intake_planned", user=staff.user, intake_at=first + timedelta(days=1)
    )
    assert a.referral.status_changes.filter(to_status="intake_planned").count() == 2
    assert referral_messages(a.referral).count() == 2
    assert referral_messages(a.referral).last().context["intake"]


def test_no_message_when_the_referrer_has_no_e_mail_address(staff, a):
    a.consultant.user = None
    a.consultant.email = ""
    a.consultant.phone = "+31201234567"
    a.consultant.save()
    referral_status_change(referral=a.referral, status="no_show", user=staff.user)
    assert not OutboxMessage.objects.filter(kind=OutboxMessage.Kind.REFERRAL_STATUS).exists()


def test_a_referral_links_to_the_participant_the_library_already_knows(a):
    known = factories.ParticipantFactory(
        library=a.programme.library, name="Priya Ramdin", phone="+31612300099"
    )
    referral = refer(a, name="P. Ramdin", phone="+31612300099", email="priya@mail.example")
    assert referral.participant == known
    assert referral.participant_name == "P. Ramdin"
    assert Participant.objects.filter(library=a.programme.library, phone="+31612300099").count() == 1
    known.refresh_from_db()
    assert known.name == "Priya Ramdin"  # the library's record is not overwritten
    assert known.email != "priya@mail.example"  # details are only filled in where empty


def test_a_referral_cannot_name_a_consultant_of_another_organisation(a, b):
    a.referral.referrer = b.consultant
    with pytest.raises(ValidationError) as error:
        a.referral.full_clean()
    assert "referrer" in error.value.message_dict
    Referral.objects.filter(pk=a.referral.pk).update(referrer=b.consultant)  # past the form: still not told
    referral_status_change(referral=a.referral, status="no_show", user=None)
    assert not referral_messages(a.referral).exists()
