"""Reach per agreement: each agreement sees only its own referrals, as with the plain loop it replaced."""

from collections import defaultdict
from datetime import date

import pytest
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from partners.models import Agreement, Referral
from partners.selectors import ENROLLED_OR_LATER
from reports.selectors.reach import _enrolled_and_completed, _finished_programmes
from sessions.models import Registration
from tests import factories
from tests.factories_reports import NOW, Mark, hand_counted_world, mark, meeting, refer, sign_up

pytestmark = pytest.mark.django_db


def enrolled_and_completed_by_loop(agreements, now):
    """The former implementation: every agreement against every referral row."""
    enrolled, completed = defaultdict(set), defaultdict(set)
    in_scope = Q(pk__in=[])
    for agreement in agreements:
        part = Q(library_id=agreement.library_id, partner_id=agreement.partner_id)
        if agreement.programme_id:
            part &= Q(programme_id=agreement.programme_id)
        in_scope |= part
    active = Registration.objects.filter(referral=OuterRef("pk")).exclude(
        status=Registration.Status.CANCELLED
    )
    referrals = Referral.objects.filter(in_scope).filter(Q(status__in=ENROLLED_OR_LATER) | Q(Exists(active)))
    rows = list(
        referrals.values_list("participant_id", "library_id", "partner_id", "programme_id", "created_at")
    )
    finished = _finished_programmes(referrals, now)
    for agreement in agreements:
        for participant, library, partner, programme, created in rows:
            if (library, partner) != (agreement.library_id, agreement.partner_id):
                continue
            if agreement.programme_id and programme != agreement.programme_id:
                continue
            enrolled[agreement.pk].add((participant, timezone.localdate(created)))
            if programme in finished.get(participant, ()):
                completed[agreement.pk].add(participant)
    return enrolled, completed


def several_agreements():
    """The hand-counted world with more agreements: one for every programme of the partner, a second
    partner with an agreement for Walk & Talk only (its Zoek werk referral must not count there), and
    the other library's agreement."""
    world = hand_counted_world()
    every_programme = factories.AgreementFactory(
        library=world.library,
        partner=world.drechterland,
        programme=None,
        title="Alles Drechterland",
        starts_on=date(2025, 1, 1),
    )
    koggenland = factories.PartnerOrganisationFactory(name="Gemeente Koggenland", slug="koggenland-r")
    koggenland.libraries.add(world.library)
    walk_and_talk_only = factories.AgreementFactory(
        library=world.library,
        partner=koggenland,
        programme=world.walk_and_talk,
        title="Walk & Talk Koggenland",
        starts_on=date(2025, 1, 1),
    )
    people = world.people
    # Drechterland also refers B to Walk & Talk: enrolled through a sign-up, not through the status.
    referral_b = refer(
        world, people["B"], date(2025, 3, 1), Referral.Status.RECEIVED, programme=world.walk_and_talk
    )
    Registration.objects.filter(participant=people["B"], session=world.sessions["s1"]).update(
        referral=referral_b
    )
    # Koggenland: H to Walk & Talk (enrolled), C to Walk & Talk (only received), A to Zoek werk.
    for person, programme, status in (
        (people["H"], world.walk_and_talk, Referral.Status.ENROLLED),
        (people["C"], world.walk_and_talk, Referral.Status.RECEIVED),
        (people["A"], world.zoek_werk, Referral.Status.ACTIVE),
    ):
        refer(world, person, date(2025, 4, 1), status, programme=programme, partner=koggenland)
    # Koggenland's H also finished a Walk & Talk course run that is over.
    run = factories.CourseRunFactory(programme=world.walk_and_talk)
    session = meeting(world.walk_and_talk, date(2025, 5, 5), branch=world.branch, run=run)
    mark(sign_up(people["H"], run=run), session, Mark.PRESENT)
    return world, {
        "zoek werk": world.agreement,
        "every programme": every_programme,
        "walk and talk only": walk_and_talk_only,
        "other library": Agreement.objects.get(title="Langedijk Drechterland"),
    }


def test_each_agreement_gets_the_same_people_as_with_the_loop():
    world, agreements = several_agreements()
    items = list(agreements.values())

    enrolled, completed = _enrolled_and_completed(items, NOW)

    assert (enrolled, completed) == enrolled_and_completed_by_loop(items, NOW)
    people = {person.pk: name for name, person in world.people.items()}

    def names(agreement):
        return (
            sorted(people[pk] for pk, _day in enrolled[agreement.pk]),
            sorted(people[pk] for pk in completed[agreement.pk]),
        )

    # Zoek werk: P, Q, U enrolled; P finished run 1 (Q came to 3 of 4, U's run is still going).
    assert names(agreements["zoek werk"]) == (["P", "Q", "U"], ["P"])
    # Every programme of Drechterland: also B, for Walk & Talk.
    assert names(agreements["every programme"]) == (["B", "P", "Q", "U"], ["P"])
    # Koggenland's Walk & Talk only: H (C was only received; A was referred to Zoek werk).
    assert names(agreements["walk and talk only"]) == (["H"], ["H"])
    # The other library: its one referral was only received.
    assert names(agreements["other library"]) == ([], [])


def test_no_agreements():
    assert _enrolled_and_completed([], NOW) == ({}, {})
