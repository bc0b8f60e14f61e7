"""Places hold under real parallel requests against PostgreSQL: never one seat too many."""

import threading

import pytest
from django.db import connections
from django.test import Client

from sessions.models import Registration
from sessions.services import registration_cancel
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _in_parallel(jobs):
    """Run the jobs in threads released at the same moment; each thread has its own connection."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def _sign_up_job(url, n, statuses):
    def job():
        response = Client().post(
            url,
            {
                "name": f"Persoon {n}",
                "phone": f"06 2{n:07d}",
                "preferred_channel": "sms",
                "consent": "on",
            },
        )
        statuses.append(response.status_code)

    return job


def test_fifty_simultaneous_sign_ups_for_ten_places():
    session = factories.SessionFactory(capacity=10)
    url = session.get_absolute_url()
    statuses = []

    _in_parallel([_sign_up_job(url, n, statuses) for n in range(50)])

    assert statuses == [302] * 50
    registrations = Registration.objects.filter(session=session)
    assert registrations.filter(status=Registration.Status.CONFIRMED).count() == 10
    assert registrations.filter(status=Registration.Status.WAITLISTED).count() == 40
    assert registrations.values("participant").distinct().count() == 50


def test_simultaneous_sign_ups_for_a_course_run_fill_the_run_once():
    run = factories.CourseRunFactory(capacity=12)
    session = factories.SessionFactory(programme=run.programme, run=run, capacity=None)
    statuses = []

    _in_parallel([_sign_up_job(session.get_absolute_url(), n, statuses) for n in range(30)])

    assert statuses == [302] * 30
    assert Registration.objects.filter(run=run, status=Registration.Status.CONFIRMED).count() == 12
    assert Registration.objects.filter(run=run, status=Registration.Status.WAITLISTED).count() == 18
    assert not Registration.objects.filter(session=session).exists()


def test_parallel_cancellations_promote_exactly_as_many_from_the_waiting_list():
    session = factories.SessionFactory(capacity=10)
    confirmed = factories.RegistrationFactory.create_batch(10, session=session)
    waiting = factories.RegistrationFactory.create_batch(
        8, session=session, status=Registration.Status.WAITLISTED
    )

    _in_parallel([lambda r=r: registration_cancel(registration=r) for r in confirmed[:6]])

    statuses = dict(Registration.objects.filter(session=session).values_list("pk", "status"))
    assert sum(1 for s in statuses.values() if s == Registration.Status.CONFIRMED) == 10
    # The first six on the list, in order, got the places.
    assert [statuses[r.pk] for r in waiting] == ["confirmed"] * 6 + ["waitlisted"] * 2


def test_the_same_person_twice_at_once_gets_one_registration():
    session = factories.SessionFactory(capacity=10)
    statuses = []

    _in_parallel([_sign_up_job(session.get_absolute_url(), 7, statuses) for _ in range(6)])

    assert Registration.objects.filter(session=session).count() == 1
    assert sorted(statuses) == [200] * 5 + [302]
