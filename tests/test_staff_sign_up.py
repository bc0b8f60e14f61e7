"""Staff sign people up at the desk or by phone, and the waiting list follows staff changes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging.models import OutboxMessage
from sessions.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db


def test_staff_sign_up_with_only_a_name(staff_client):
    session = factories.SessionFactory(capacity=5)
    url = reverse("admin:programme_sessions_session_sign_up", args=[session.pk])
    assert staff_client.get(url).status_code == 200

    response = staff_client.post(url, {"name": "Mevrouw De Vries", "source": "desk"})

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.source == Registration.Source.DESK
    assert registration.participant.registered_at_desk is True
    assert registration.participant.consents.count() == 0


def test_staff_sign_up_by_phone_needs_consent_for_contact_details(staff_client):
    session = factories.SessionFactory()
    url = reverse("admin:programme_sessions_session_sign_up", args=[session.pk])
    data = {"name": "Karim", "phone": "0612345678", "preferred_channel": "sms", "source": "phone"}

    refused = staff_client.post(url, data)
    assert refused.status_code == 200
    assert "Vraag eerst toestemming" in refused.content.decode()
    assert 'value="Karim"' in refused.content.decode()

    staff_client.post(url, {**data, "consent": "on"})
    registration = Registration.objects.get()
    assert registration.source == Registration.Source.PHONE
    assert registration.participant.consents.get().method == "phone"


def test_staff_sign_up_for_a_course_run(staff_client):
    run = factories.CourseRunFactory()
    url = reverse("admin:programme_sessions_courserun_sign_up", args=[run.pk])
    staff_client.post(url, {"name": "Anouk", "source": "desk"})
    assert Registration.objects.get().run == run


def test_more_places_move_the_waiting_list_up(staff_client):
    session = factories.SessionFactory(capacity=1)
    factories.RegistrationFactory(session=session)
    waiting = factories.RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
    change_url = reverse("admin:programme_sessions_session_change", args=[session.pk])
    form = staff_client.get(change_url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"programme": session.programme_id, "branch": session.branch_id, "capacity": 2})
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    data.update(
        {
            "starts_at_0": starts.strftime("%d-%m-%Y"),
            "starts_at_1": starts.strftime("%H:%M:%S"),
            "ends_at_0": ends.strftime("%d-%m-%Y"),
            "ends_at_1": ends.strftime("%H:%M:%S"),
            "status": session.status,
            "roles-TOTAL_FORMS": 0,
            "roles-INITIAL_FORMS": 0,
            "registrations-TOTAL_FORMS": 0,
            "registrations-INITIAL_FORMS": 0,
        }
    )
    for key in ("run", "registration_opens_at", "registration_closes_at", "workers"):
        data.pop(key, None)
    response = staff_client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert OutboxMessage.objects.filter(registration=waiting, kind="waitlist_promoted").exists()


def test_cancelling_in_the_admin_moves_the_waiting_list_up(staff_client):
    session = factories.SessionFactory(capacity=1)
    confirmed = factories.RegistrationFactory(session=session)
    waiting = factories.RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
    staff_client.post(
        reverse("admin:programme_sessions_registration_changelist"),
        {"action": "cancel_registrations", "_selected_action": [confirmed.pk]},
    )
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert confirmed.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED


def test_my_registrations_for_a_logged_in_person(client, django_user_model):
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user("sara", "sara@mail.example", "een-lang-wachtwoord")
    EmailAddress.objects.create(user=user, email="sara@mail.example", verified=True, primary=True)
    mine = factories.RegistrationFactory(participant__email="Sara@mail.example")
    other = factories.RegistrationFactory()
    client.force_login(user)
    content = client.get(reverse("sessions:my_registrations")).content.decode()
    assert mine.session.programme.name.replace("&", "&amp;") in content
    assert other.participant.name not in content


def test_my_registrations_needs_a_login(client):
    response = client.get(reverse("sessions:my_registrations"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
