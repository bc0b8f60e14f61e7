"""An admin filter with too many choices to list says to choose a library first, and then lists that library's."""

import pytest
from django.urls import reverse

from portal import scoping
from tests import factories

pytestmark = pytest.mark.django_db

REGISTRATIONS = reverse("admin:programme_sessions_registration_changelist")


@pytest.fixture
def two_libraries(monkeypatch):
    monkeypatch.setattr(scoping, "ADMIN_FILTER_CHOICES_UP_TO", 3)
    hoorn = factories.LibraryFactory(name="Bibliotheek Hoorn", slug="hoorn")
    cuijk = factories.LibraryFactory(name="Bibliotheek Cuijk", slug="cuijk")
    for number in range(3):
        factories.ProgrammeFactory(library=hoorn, name=f"Hoorn-programma {number}", slug=f"hoorn-{number}")
        factories.ProgrammeFactory(library=cuijk, name=f"Cuijk-programma {number}", slug=f"cuijk-{number}")
    return hoorn, cuijk


def test_too_many_choices_show_the_hint_instead(staff_client, two_libraries):
    page = staff_client.get(REGISTRATIONS).content.decode()
    assert "programma (kies eerst een bibliotheek)" in page
    assert "Hoorn-programma" not in page and "Cuijk-programma" not in page


def test_with_a_library_chosen_its_choices_are_listed(staff_client, two_libraries):
    hoorn, _cuijk = two_libraries
    page = staff_client.get(REGISTRATIONS, {"library": hoorn.pk}).content.decode()
    assert "kies eerst een bibliotheek" not in page
    assert all(f"Hoorn-programma {number}" in page for number in range(3))
    assert "Cuijk-programma" not in page
