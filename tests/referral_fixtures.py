"""Fixtures for the referral tests: two municipalities referring to one library, side by side.

Loaded with `pytest_plugins = ["tests.referral_fixtures"]` in each tests/test_referrals_*.py module.
"""

import pytest

from tests import factories
from tests.referral_support import Organisation, organisation_make, refer


@pytest.fixture
def world(db):
    """Drechterland (A) and Amstelveen (B) both refer to one library; each has made one referral."""
    library = factories.LibraryFactory(name="Westfriese Bibliotheken", slug="westfriese")
    branch = factories.BranchFactory(library=library, name="Bibliotheek Hoorn", slug="hoorn")
    organisations = {}
    for key, name, slug, programme_name, person, phone in (
        ("a", "Gemeente Drechterland", "drechterland", "Zoek werk", "Fatma Yilmaz", "+31612300011"),
        ("b", "Gemeente Amstelveen", "amstelveen", "Klik & Tik", "Sevda Aydin", "+31612300022"),
    ):
        partner, consultant, colleague, programme = organisation_make(
            library, branch, name, slug, programme_name
        )
        organisation = Organisation(partner, consultant, colleague, programme, None)
        organisation.referral = refer(organisation, name=person, phone=phone)
        organisations[key] = organisation
    organisations["library"] = library
    organisations["branch"] = branch
    return organisations


@pytest.fixture
def a(world):
    return world["a"]


@pytest.fixture
def b(world):
    return world["b"]


@pytest.fixture
def client_a(client, a):
    """Consultant of organisation A, logged in with an authenticator app set up."""
    client.force_login(a.consultant.user)
    return client
