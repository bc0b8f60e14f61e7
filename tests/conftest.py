"""Shared fixtures. Every test that touches the database uses the real PostgreSQL of the test settings."""

from io import StringIO

import pytest
from django.core.management import call_command, get_commands

from tests import factories

DEMO_COMMAND = "load_demo_data"


def pytest_configure(config):
    # WhiteNoise warns that STATIC_ROOT was never filled by collectstatic; tests serve no static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning:django.core.handlers.base")


@pytest.fixture
def superuser(db):
    return factories.SuperUserFactory()


@pytest.fixture
def staff_client(client, superuser):
    """A test client logged in as a superuser (a member of staff running the programmes)."""
    client.force_login(superuser)
    return client


@pytest.fixture
def english_staff_client(staff_client, settings):
    """The same, with English chosen on the language switch, so pages can be checked against the
    source strings whatever the Dutch translation says."""
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return staff_client


@pytest.fixture
def library(db):
    return factories.LibraryFactory(name="Bibliotheek Langedijk", slug="langedijk")


@pytest.fixture
def branch(library):
    return factories.BranchFactory(library=library, name="Vestiging Broek op Langedijk", slug="broek")


@pytest.fixture
def partner(library):
    partner = factories.PartnerOrganisationFactory(name="Gemeente Drechterland", slug="drechterland")
    partner.libraries.add(library)
    return partner


@pytest.fixture
def partner_site(partner):
    return factories.PartnerSiteFactory(partner=partner, name="Werkplein")


@pytest.fixture
def programme(library, branch):
    """A monthly Walk & Talk with 15 places at the library's branch."""
    return factories.ProgrammeFactory(
        library=library, name="Walk & Talk", slug="walk-and-talk", default_branch=branch
    )


@pytest.fixture
def course_programme(library, branch):
    """Zoek werk: a course of 10 weekly meetings."""
    return factories.ProgrammeFactory(
        library=library, name="Zoek werk", slug="zoek-werk", course=True, default_branch=branch
    )


def demo_command_available():
    return DEMO_COMMAND in get_commands()


@pytest.fixture
def demo_data(db):
    """Fill the database the way a newcomer's `make run` does.

    Uses the `load_demo_data` management command when the project has it. Until it exists, this
    fixture loads nothing and returns "factories": tests that use it then make their own rows with
    the factories (see `every_model_has_a_row` in test_admin_pages.py), so the switch is automatic.
    """
    if not demo_command_available():
        return "factories"
    call_command(DEMO_COMMAND, stdout=StringIO(), stderr=StringIO())
    return DEMO_COMMAND
