"""Subject access and erasure from the admin, who may do them, and the audit log of who saw what."""

import json

import pytest
from django.forms import MultiWidget
from django.urls import reverse

from people.models import Participant
from portal.staff_groups import staff_groups_ensure
from privacy.models import AuditEvent
from programmes.models import LibraryMembership
from tests import factories
from tests.test_privacy_support import EMAIL, NAME, PHONE_NATIONAL, person_with_everything, scan

pytestmark = pytest.mark.django_db


def staff_of(library, role, client_class):
    user = factories.SuperUserFactory(is_superuser=False)
    user.groups.add(staff_groups_ensure()[role])
    LibraryMembership.objects.create(user=user, library=library)
    client = client_class()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def person(db):
    return person_with_everything()


@pytest.fixture
def coordinator(person, client):
    return staff_of(person.library, "coordinator", type(client))


@pytest.fixture
def volunteer(person, client):
    return staff_of(person.library, "host", type(client))


@pytest.fixture
def other_coordinator(person, client):
    return staff_of(factories.LibraryFactory(), "coordinator", type(client))


def url(name, participant):
    return reverse(f"admin:people_participant_{name}", args=[participant.pk])


def test_the_change_page_offers_download_and_erase_to_a_coordinator(coordinator, person):
    page = coordinator.get(url("change", person)).content.decode()
    assert url("export", person) in page
    assert url("erase", person) in page


def test_the_download_holds_everything_in_a_readable_file(coordinator, person):
    response = coordinator.get(url("export", person))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    for expected in [
        NAME,
        EMAIL,
        "06 87654321",
        f"Bel {NAME} op {PHONE_NATIONAL}",
        "heeft geen computer",
        "Walk & Talk",
    ]:
        assert expected in text or expected.replace("&", "&amp;") in text, expected
    # The consent: what was agreed, how and when.
    assert "De bibliotheek mag mij een bericht sturen over deze bijeenkomst." in text
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert (event.user, event.participant_number, event.library_id) == (
        coordinator.user,
        person.pk,
        person.library_id,
    )
    assert NAME not in event.detail


def test_the_download_as_json(coordinator, person):
    data = json.loads(coordinator.get(url("export", person), {"format": "json"}).content)
    assert data["participant"] == person.pk
    rows = [row for section in data["sections"].values() for row in section]
    assert any(NAME in row.values() for row in rows)
    assert len(data["sections"]) >= 6


def test_erasing_asks_first_then_removes_everything(coordinator, person):
    page = coordinator.get(url("erase", person))
    assert page.status_code == 200
    assert page.context["preview"]["registrations"] == 2
    assert page.context["preview"]["attendance"] == 3
    assert page.context["preview"]["referrals"] == 1
    assert Participant.objects.get(pk=person.pk).anonymised_at is None

    response = coordinator.post(url("erase", person))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert scan() == []
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ERASED, user=coordinator.user).count() == 1
    # An anonymised record can be looked at, not changed, and not erased again.
    page = coordinator.get(url("change", person))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert url("erase", person) not in page.content.decode()


def test_a_volunteer_can_neither_download_nor_erase(volunteer, person):
    page = volunteer.get(url("change", person))
    assert page.status_code == 200
    assert url("export", person) not in page.content.decode()
    assert volunteer.get(url("export", person)).status_code == 403
    assert volunteer.get(url("erase", person)).status_code == 403
    assert volunteer.post(url("erase", person)).status_code == 403
    person.refresh_from_db()
    assert person.anonymised_at is None
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()


def test_staff_of_another_library_get_not_found(other_coordinator, person):
    assert other_coordinator.get(url("export", person)).status_code == 404
    assert other_coordinator.get(url("erase", person)).status_code == 404
    assert other_coordinator.post(url("erase", person)).status_code == 404
    person.refresh_from_db()
    assert person.anonymised_at is None


def test_a_person_with_sign_ups_cannot_be_deleted_only_erased(coordinator, person):
    assert coordinator.get(reverse("admin:people_participant_delete", args=[person.pk])).status_code == 403
    changelist = coordinator.get(reverse("admin:people_participant_changelist"))
    assert "delete_selected" not in changelist.context["action_form"].fields["action"].choices.__str__()


def test_looking_at_and_changing_personal_data_is_logged(coordinator, person):
    coordinator.get(url("change", person))
    registration = person.registrations.first()
    coordinator.get(reverse("admin:programme_sessions_registration_change", args=[registration.pk]))
    consent = person.consents.first()
    coordinator.get(reverse("admin:people_consent_change", args=[consent.pk]))
    referral = person.referrals.get()
    coordinator.get(reverse("admin:partners_referral_change", args=[referral.pk]))
    viewed = AuditEvent.objects.filter(action=AuditEvent.Action.VIEWED, user=coordinator.user)
    assert sorted(viewed.values_list("model_label", flat=True)) == [
        "partners.Referral",
        "people.Consent",
        "people.Participant",
        "programme_sessions.Registration",
    ]
    assert set(viewed.values_list("participant_number", flat=True)) == {person.pk}
    assert set(viewed.values_list("library_id", flat=True)) == {person.library_id}


def test_a_change_is_logged_by_field_without_the_values(coordinator, person):
    page = coordinator.get(url("change", person))
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update({"name": "Zwaantje K.", "phone": "+31687654321", "email": EMAIL, "language": "nl"})
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for field in management:
            data[f"{management.prefix}-{field.name}"] = field.value()
        for index, inline_form in enumerate(formset.formset.forms):
            for name, field in inline_form.fields.items():
                value = inline_form[name].value()
                key = f"{formset.formset.prefix}-{index}-{name}"
                if isinstance(field.widget, MultiWidget) and value:
                    date, time = field.widget.decompress(value)
                    data[f"{key}_0"], data[f"{key}_1"] = date.isoformat(), time.strftime("%H:%M:%S")
                elif value is not None and not isinstance(field.widget, MultiWidget):
                    data[key] = value
    data["user"] = ""
    response = coordinator.post(url("change", person), data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGED)
    assert "Name" in event.detail or "name" in event.detail.lower()
    assert "Zwaantje" not in event.detail


def test_the_audit_log_is_for_coordinators_of_the_same_library(
    coordinator, volunteer, other_coordinator, person
):
    coordinator.get(url("change", person))
    changelist = reverse("admin:privacy_auditevent_changelist")
    response = coordinator.get(changelist)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert other_coordinator.get(changelist).context["cl"].result_count == 0
    assert volunteer.get(changelist).status_code == 403
    assert coordinator.get(reverse("admin:privacy_auditevent_add")).status_code == 403
    event = AuditEvent.objects.get()
    detail = coordinator.get(reverse("admin:privacy_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200
    assert detail.context["has_change_permission"] is False


def test_every_admin_of_personal_data_is_audited():
    from django.contrib import admin

    from privacy.audit import PersonalDataAuditMixin, audited_labels

    audited = {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, PersonalDataAuditMixin)
    }
    registered = {model._meta.label for model in admin.site._registry}
    assert audited == audited_labels() & registered
    assert {
        "people.Participant",
        "people.Consent",
        "programme_sessions.Registration",
        "partners.Referral",
    } <= audited
