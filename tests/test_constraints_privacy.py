"""Constraints added for privacy: an anonymised participant has nothing left, and many of them fit."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from people.models import Participant
from tests import factories
from tests.test_constraints import assert_rejected

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "left",
    [{"name": "Jan Jansen"}, {"phone": "+31612345678"}, {"email": "jan@mail.example"}, {"user": "account"}],
    ids=["name", "phone", "email", "account"],
)
def test_participant_anonymised_is_blank(left):
    library = factories.LibraryFactory()
    values = {"name": "", "phone": "", "email": "", "user": None, **left}
    if values["user"] == "account":
        values["user"] = factories.SuperUserFactory(is_superuser=False, is_staff=False)
    if not values["name"]:
        # full_clean() asks for a name first; the database constraint is what guards blank rows.
        with pytest.raises(IntegrityError, match="participant_anonymised_is_blank"), transaction.atomic():
            Participant.objects.create(library=library, anonymised_at=timezone.now(), **values)
        return
    assert_rejected(
        Participant(library=library, anonymised_at=timezone.now(), **values),
        constraint="participant_anonymised_is_blank",
    )


def test_participant_reachable_lets_anonymised_records_have_no_contact_details():
    library = factories.LibraryFactory()
    for _ in range(2):
        Participant.objects.create(library=library, name="", anonymised_at=timezone.now())
    assert Participant.objects.filter(library=library, anonymised_at__isnull=False).count() == 2
    nobody = Participant(library=library, name="Jan")
    assert_rejected(nobody, constraint="participant_reachable")
