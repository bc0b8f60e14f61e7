"""Helpers for the referral tests (the fixtures are in tests/referral_fixtures.py)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from partners.models import Referral
from partners.services import referral_create
from people.models import ContactChannel
from tests import factories


@dataclass
class Organisation:
    partner: object
    consultant: object
    colleague: object
    programme: object
    referral: object


def organisation_make(library, branch, name, slug, programme_name):
    partner = factories.PartnerOrganisationFactory(name=name, slug=slug)
    partner.libraries.add(library)
    programme = factories.ProgrammeFactory(
        library=library, name=programme_name, slug=slug, course=True, default_branch=branch
    )
    programme.referring_partners.add(partner)
    consultant = factories.ConsultantFactory(partner=partner, name=f"Consulent {name}")
    colleague = factories.ConsultantFactory(partner=partner, name=f"Collega {name}")
    return partner, consultant, colleague, programme


def refer(organisation_or_contact, programme=None, **overrides):
    """A referral made the way the form makes it (through the service)."""
    contact = getattr(organisation_or_contact, "consultant", organisation_or_contact)
    values = {
        "contact": contact,
        "user": contact.user,
        "programme": programme or organisation_or_contact.programme,
        "name": "Kevin de Boer",
        "phone": "+31612300001",
        "email": "",
        "preferred_channel": ContactChannel.SMS,
        "kind": Referral.Kind.VOLUNTARY,
        "consent_contact": True,
        "consent_report_attendance": True,
        "consent_given_on": timezone.localdate() - timedelta(days=1),
        "note": "Bel liever na 10 uur.",
    }
    values.update(overrides)
    return referral_create(**values)


def course_run_for(programme, *, meetings=3, start=None):
    """A course run of the programme with its meetings, the first one `start` (default: next week)."""
    start = start or factories.next_week_at_ten()
    run = factories.CourseRunFactory(programme=programme, title=f"{programme.name}, voorjaar")
    sessions = [
        factories.SessionFactory(
            programme=programme,
            run=run,
            branch=programme.default_branch,
            starts_at=start + timedelta(weeks=week),
            ends_at=start + timedelta(weeks=week, hours=2),
        )
        for week in range(meetings)
    ]
    return run, sessions
