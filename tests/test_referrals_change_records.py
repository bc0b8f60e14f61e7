"""Behind a correction: the participant record the library uses is corrected, but never one that is not
the referral's own, and nothing crosses to another organisation. And the row locks hold under real
parallel requests against PostgreSQL."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from partners.models import Referral, ReferralStatusChange
from partners.personal_data import erase
from partners.services import (
    ReferralRefused,
    referral_correct,
    referral_enrol,
    referral_status_change,
    referral_withdraw,
)
from partners.services import referral_changes as changes
from people.models import Consent, Participant
from tests import factories
from tests.referral_support import course_run_for, refer

pytest_plugins = ["tests.referral_fixtures"]
pytestmark = pytest.mark.django_db

Status = Referral.Status


def correct(referral, contact, **changes):
    values = {
        "name": referral.participant_name,
        "phone": str(referral.participant_phone or ""),
        "email": referral.participant_email,
        "preferred_channel": referral.participant_channel,
        "kind": referral.kind,
        "note": referral.note,
    }
    values.update(changes)
    return referral_correct(referral=referral, contact=contact, user=contact.user, **values)


def known_person(library, **values):
    """Someone the library already knows: signed up for a meeting themselves, with their own consent."""
    values = {"name": "F. de Vries", "phone": "+31612300077", "email": "fenna@thuis.example", **values}
    person = factories.ParticipantFactory(library=library, preferred_channel="whatsapp", **values)
    factories.RegistrationFactory(participant=person)
    factories.ConsentFactory(participant=person)
    return person


def referral_consents(participant):
    return set(participant.consents.filter(method=Consent.Method.REFERRAL).values_list("purpose", flat=True))


def test_a_record_the_library_already_had_is_never_overwritten_or_shown(client_a, a):
    person = known_person(a.programme.library)
    referral = refer(a, name="Fenna de Vries", phone="+31612300077")
    assert referral.participant == person

    form = client_a.get(reverse("referrers:correct", args=[referral.pk])).content.decode()
    assert "fenna@thuis.example" not in form and "F. de Vries" not in form  # the library's, not theirs
    assert 'value="Fenna de Vries"' in form and 'value="06 12300077"' in form

    correct(referral, a.consultant, phone="+31612300078", preferred_channel="call")

    person.refresh_from_db()
    assert (person.name, str(person.phone), person.email, person.preferred_channel) == (
        "F. de Vries",
        "+31612300077",
        "fenna@thuis.example",
        "whatsapp",
    )
    referral.refresh_from_db()
    new = referral.participant
    assert new != person and (str(new.phone), new.name, new.preferred_channel) == (
        "+31612300078",
        "Fenna de Vries",
        "call",
    )
    # The consent given through the referral went with it; the person's own consent stayed.
    assert referral_consents(new) == {"contact", "report_to_referrer"}
    assert referral_consents(person) == set()
    assert person.consents.count() == 1


def test_a_note_or_name_correction_leaves_the_librarys_record_alone(a):
    person = known_person(a.programme.library)
    referral = refer(a, name="Fenna de Vries", phone="+31612300077")
    correct(referral, a.consultant, name="Fenna de Vries-Bakker", note="Liever 's middags.")
    referral.refresh_from_db()
    person.refresh_from_db()
    assert referral.participant == person and person.name == "F. de Vries"
    assert (referral.participant_name, referral.note) == ("Fenna de Vries-Bakker", "Liever 's middags.")


def test_a_corrected_number_of_someone_the_library_knows_links_to_them_and_drops_the_typo(a):
    person = known_person(a.programme.library, email="")
    referral = a.referral  # Fatma Yilmaz, her own new record with a mistyped number
    typo = referral.participant
    correct(referral, a.consultant, phone="+31612300077", email="fatma@voorbeeld.nl", preferred_channel="sms")

    referral.refresh_from_db()
    assert referral.participant == person
    assert not Participant.objects.filter(pk=typo.pk).exists()
    assert not Participant.objects.filter(phone="+31612300011").exists()
    person.refresh_from_db()
    assert person.name == "F. de Vries" and person.email == "fatma@voorbeeld.nl"  # blanks filled only
    assert referral_consents(person) == {"contact", "report_to_referrer"}
    assert referral.participant_name == "Fatma Yilmaz"


def test_a_correction_that_would_duplicate_an_open_referral_is_refused_and_rolled_back(a):
    other = refer(a, name="Kees Mol", phone="+31612300088")
    with pytest.raises(ReferralRefused, match="al naar dit programma verwezen"):
        correct(a.referral, a.consultant, phone="+31612300088")
    a.referral.refresh_from_db()
    assert str(a.referral.participant.phone) == "+31612300011"
    assert a.referral.participant != other.participant


def test_another_organisations_referral_of_the_same_person_is_untouched(client_a, a, b):
    mine = refer(a, name="Sevda Aydin", phone="+31612300022", email="", note="")
    assert mine.participant == b.referral.participant  # one person, one record per library
    form = client_a.get(reverse("referrers:correct", args=[mine.pk])).content.decode()
    assert "Klik" not in form and b.referral.note not in form

    correct(mine, a.consultant, phone="+31612300023", note="Nieuw nummer.")

    b.referral.refresh_from_db()
    assert b.referral.participant_id == b.referral.participant.pk
    assert (str(b.referral.participant.phone), str(b.referral.participant_phone)) == (
        "+31612300022",
        "+31612300022",
    )
    assert (b.referral.participant_name, b.referral.note) == ("Sevda Aydin", "Bel liever na 10 uur.")
    assert referral_consents(b.referral.participant) == {"contact", "report_to_referrer"}
    mine.refresh_from_db()
    assert str(mine.participant.phone) == "+31612300023"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"phone": "", "email": ""}, "phone"),
        ({"preferred_channel": "email"}, "email"),
        ({"preferred_channel": "fax"}, "preferred_channel"),
        ({"kind": "soms"}, "kind"),
    ],
)
def test_the_service_checks_what_the_form_checks(a, changes, field):
    with pytest.raises(ReferralRefused) as refused:
        correct(a.referral, a.consultant, **changes)
    assert refused.value.field == field
    a.referral.refresh_from_db()
    assert (a.referral.participant_name, str(a.referral.participant.phone)) == (
        "Fatma Yilmaz",
        "+31612300011",
    )


def test_an_older_referral_without_stored_details_asks_for_them_again(client_a, a):
    known_person(a.programme.library)
    referral = refer(a, name="Fenna de Vries", phone="+31612300077")
    Referral.objects.filter(pk=referral.pk).update(
        participant_phone="", participant_email="", participant_channel=""
    )
    page = client_a.get(reverse("referrers:correct", args=[referral.pk]))
    assert page.context["given"].known is False
    assert page.context["form"]["phone"].value() == ""
    detail = client_a.get(reverse("referrers:detail", args=[referral.pk])).content.decode()
    assert "06 12300077" not in detail and "fenna@thuis.example" not in detail


def test_an_anonymised_record_is_not_brought_back(a):
    Participant.objects.filter(pk=a.referral.participant_id).update(
        name="", phone="", email="", preferred_channel="", anonymised_at=timezone.now()
    )
    with pytest.raises(ReferralRefused):
        correct(a.referral, a.consultant, phone="+31612300099")
    assert not Participant.objects.filter(phone="+31612300099").exists()


def test_erasure_removes_what_the_referrer_gave_and_the_withdrawal_note(a):
    referral_withdraw(
        referral=a.referral, contact=a.consultant, user=a.consultant.user, reason="other", note="Fatma belde."
    )
    erase(a.referral.participant)
    a.referral.refresh_from_db()
    assert (a.referral.participant_phone, a.referral.participant_email, a.referral.withdrawal_note) == (
        "",
        "",
        "",
    )
    assert a.referral.withdrawal_reason == "other"  # a choice, kept for the counts


# Racing the library --------------------------------------------------------------------------------


def in_parallel(jobs):
    """Run the jobs in threads released at once; each thread has its own database connection."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            job()
            outcomes[index] = "done"
        except ReferralRefused:
            outcomes[index] = "refused"
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def assert_history_is_one_chain(referral):
    changes = list(ReferralStatusChange.objects.filter(referral=referral).order_by("changed_at", "pk"))
    for before, after in zip(changes, changes[1:], strict=False):
        assert after.from_status == before.to_status, [(c.from_status, c.to_status) for c in changes]
    assert changes[-1].to_status == referral.status


def slowed(function, seconds=0.3):
    """`function`, then a pause: the consultant's change holds its place while the library acts."""

    def slow(*args, **kwargs):
        result = function(*args, **kwargs)
        time.sleep(seconds)
        return result

    return slow


def after(seconds, job):
    def late():
        time.sleep(seconds)
        return job()

    return late


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_racing_the_library_moving_on_wins_or_loses_whole(a, monkeypatch):
    """The consultant withdraws while staff mark the person active: one of the two, never both."""
    staff = factories.SuperUserFactory(username="medewerker")
    run, _sessions = course_run_for(a.programme)
    monkeypatch.setattr(changes, "may_withdraw", slowed(changes.may_withdraw))
    for round_, staff_delay in enumerate((0.1, 0.0, 0.1)):
        referral = refer(a, name=f"Deelnemer {round_}", phone=f"+3161230020{round_}")
        referral_enrol(referral=referral, user=staff, run=run)
        outcomes = in_parallel(
            [
                lambda r=referral: referral_withdraw(
                    referral=r, contact=a.consultant, user=a.consultant.user, reason="found_work"
                ),
                after(
                    staff_delay,
                    lambda r=referral: referral_status_change(referral=r, status="active", user=staff),
                ),
            ]
        )
        assert sorted(outcomes) == ["done", "refused"], outcomes
        referral.refresh_from_db()
        expected = Status.WITHDRAWN if outcomes[0] == "done" else Status.ACTIVE
        assert referral.status == expected
        assert (referral.withdrawal_reason == "found_work") is (expected == Status.WITHDRAWN)
        assert_history_is_one_chain(referral)


@pytest.mark.django_db(transaction=True)
def test_a_correction_racing_the_intake_planning_comes_before_it_or_not_at_all(a, monkeypatch):
    """Staff plan the intake while the consultant corrects the phone number: the library acts on the
    corrected number, or the correction is refused. Never a change under the library's hands."""
    staff = factories.SuperUserFactory(username="medewerker")
    monkeypatch.setattr(changes, "may_correct", slowed(changes.may_correct))
    for round_, staff_delay in enumerate((0.1, 0.0, 0.1)):
        referral = refer(a, name=f"Deelnemer {round_}", phone=f"+3161230030{round_}")
        new_phone = f"+3161230040{round_}"
        seen_by_staff = []

        def plan(r=referral, seen_by_staff=seen_by_staff):
            referral_status_change(
                referral=r, status="intake_planned", user=staff, intake_at=timezone.now() + timedelta(days=2)
            )
            seen_by_staff.append(str(Referral.objects.get(pk=r.pk).participant.phone))

        outcomes = in_parallel(
            [lambda r=referral, p=new_phone: correct(r, a.consultant, phone=p), after(staff_delay, plan)]
        )
        assert outcomes[1] == "done" and outcomes[0] in ("done", "refused"), outcomes
        referral.refresh_from_db()
        assert referral.status == Status.INTAKE_PLANNED  # never put back to "received"
        final_phone = str(referral.participant.phone)
        assert seen_by_staff == [final_phone]  # what the library planned with is what stays
        assert (final_phone == new_phone) is (outcomes[0] == "done")
        assert (str(referral.participant_phone) == new_phone) is (outcomes[0] == "done")
        assert_history_is_one_chain(referral)
