"""The referral form: minimum data, clear errors next to the field, nothing typed lost."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.forms import NO_SENSITIVE_DATA
from partners.models import Referral
from people.models import Participant
from tests import factories

pytest_plugins = ["tests.referral_fixtures"]
pytestmark = pytest.mark.django_db

NEW = reverse("referrers:new")


@pytest.fixture
def english(client_a, settings):
    client_a.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client_a


def valid(programme, **overrides):
    data = {
        "name": "Nicole Appelman",
        "phone": "06 12300044",
        "email": "",
        "preferred_channel": "sms",
        "programme": programme.pk,
        "kind": "voluntary",
        "consent_contact": "on",
        "consent_report_attendance": "",
        "consent_given_on": timezone.localdate().isoformat(),
        "note": "",
    }
    data.update(overrides)
    return data


def errors(response):
    return response.context["form"].errors


def test_the_form_says_no_citizen_service_number_or_medical_or_benefit_details(english):
    html = english.get(NEW).content.decode()
    assert str(NO_SENSITIVE_DATA) in html
    assert "citizen service number (BSN)" in html


def test_only_programmes_open_to_the_organisation_are_offered(client_a, a, b):
    closed = factories.ProgrammeFactory(library=a.programme.library, course=True, accepts_referrals=False)
    closed.referring_partners.add(a.partner)
    offered = client_a.get(NEW).context["form"].fields["programme"].widget.choices
    assert [value for value, _label in offered if value] == [a.programme.pk]


@pytest.mark.parametrize("which", ["other organisation's", "not taking referrals"])
def test_a_programme_closed_to_the_organisation_is_refused_with_a_reason(english, a, b, which):
    if which == "not taking referrals":
        programme = a.programme
        programme.accepts_referrals = False
        programme.save()
    else:
        programme = b.programme
    response = english.post(NEW, valid(programme))
    assert response.status_code == 400
    (message,) = errors(response)["programme"]
    assert "does not take referrals from Gemeente Drechterland" in message
    assert Referral.objects.count() == 2  # only the two of the fixture


def test_every_error_is_next_to_its_field_and_nothing_typed_is_lost(english, a):
    data = valid(
        a.programme,
        phone="12",
        email="geen-adres",
        preferred_channel="",
        kind="",
        consent_contact="",
        consent_given_on="",
        note="Bel na tienen.",
    )
    response = english.post(NEW, data)
    assert response.status_code == 400
    assert set(errors(response)) == {
        "phone",
        "email",
        "preferred_channel",
        "kind",
        "consent_contact",
        "consent_given_on",
    }
    html = response.content.decode()
    assert 'value="12"' in html and 'value="geen-adres"' in html and "Bel na tienen." in html
    assert 'value="Nicole Appelman"' in html
    for field in ("phone", "email", "consent_contact", "consent_given_on"):
        assert f'aria-describedby="id_{field}_error"' in html or f"id_{field}_error" in html, field
    assert 'aria-invalid="true"' in html
    assert "Please check the form" in html


def test_a_phone_number_or_an_e_mail_address_is_needed_and_fits_the_channel(english, a):
    assert "phone" in errors(english.post(NEW, valid(a.programme, phone="")))
    response = english.post(NEW, valid(a.programme, preferred_channel="email"))
    assert errors(response)["email"] == ["You chose e-mail. Fill in the e-mail address."]


def test_without_consent_to_be_contacted_the_library_cannot_take_the_referral(english, a):
    response = english.post(NEW, valid(a.programme, consent_contact=""))
    assert "consent_contact" in errors(response)


def test_the_consent_date_cannot_be_in_the_future(english, a):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "consent_given_on" in errors(english.post(NEW, valid(a.programme, consent_given_on=tomorrow)))


@pytest.mark.parametrize("note", ["BSN 123456782", "bsn: 1234.56.782"])
def test_a_note_with_a_citizen_service_number_is_refused(english, a, note):
    response = english.post(NEW, valid(a.programme, note=note))
    assert "BSN" in errors(response)["note"][0]


def test_a_phone_number_in_the_note_is_fine(client_a, a):
    response = client_a.post(NEW, valid(a.programme, note="Bel haar moeder: 0612345678"))
    assert response.status_code == 302


def test_a_valid_referral_is_saved_and_shown(client_a, a):
    response = client_a.post(NEW, valid(a.programme, email="nicole@mail.example"), follow=True)
    assert response.status_code == 200
    referral = Referral.objects.get(participant_name="Nicole Appelman")
    assert referral.kind == "voluntary" and not referral.consent_report_attendance
    assert referral.consent_given_on == timezone.localdate()
    participant = referral.participant
    assert (str(participant.phone), participant.email, participant.preferred_channel) == (
        "+31612300044",
        "nicole@mail.example",
        "sms",
    )
    assert "Nicole Appelman" in response.content.decode()


def test_the_same_person_twice_for_the_same_programme_is_refused(english, a):
    english.post(NEW, valid(a.programme))
    response = english.post(NEW, valid(a.programme, name="N. Appelman"))
    assert response.status_code == 400
    assert "already referred this person" in response.content.decode()
    assert Participant.objects.filter(phone="+31612300044").count() == 1


def test_a_colleague_of_the_same_organisation_may_refer_too(client, a):
    client.force_login(a.colleague.user)
    assert client.post(NEW, valid(a.programme)).status_code == 302
    assert Referral.objects.get(participant_name="Nicole Appelman").referrer == a.colleague
