"""Shared fixtures. Every test that touches the database uses the real PostgreSQL of the test settings."""

from io import StringIO

import pytest
from django.core.management import call_command, get_commands
from django.db import transaction

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


def load_demo_data():
    """Run `load_demo_data` when the project has it; return which source the rows come from.

    Until the command exists this loads nothing and returns "factories": tests that use it then make
    their own rows with the factories (see `every_model_has_a_row` in test_admin_pages.py), so the
    switch is automatic.
    """
    if not demo_command_available():
        return "factories"
    call_command(DEMO_COMMAND, stdout=StringIO(), stderr=StringIO())
    return DEMO_COMMAND


@pytest.fixture
def demo_data(db):
    """Fill the database the way a newcomer's `make run` does, for one test (rolled back after it)."""
    return load_demo_data()


@pytest.fixture(scope="class")
def demo_data_for_class(django_db_setup, django_db_blocker):
    """The same, loaded once for a whole test class: the command takes seconds, a class has dozens of tests.

    The rows live in an outer transaction that is rolled back when the class is done; each test's own
    transaction (the `db` fixture) nests inside it as a savepoint, so tests still cannot see each
    other's changes, and tests outside the class never see the demo data.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load_demo_data()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
