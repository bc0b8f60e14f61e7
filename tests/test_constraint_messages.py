"""A broken rule of a model shows its message next to the field it is about, in the admin's forms too."""

from datetime import timedelta

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation

from sessions.models import Session
from tests import factories

pytestmark = pytest.mark.django_db


def errors_of(instance):
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return {
        field: [str(message) for message in messages] for field, messages in raised.value.message_dict.items()
    }


def test_a_meeting_that_ends_before_it_starts(programme, branch):
    session = factories.SessionFactory.build(programme=programme, branch=branch)
    session.ends_at = session.starts_at - timedelta(minutes=30)
    with translation.override("en"):
        errors = errors_of(session)
    assert errors == {"ends_at": ["The end must be after the start."]}


def test_each_broken_rule_goes_to_its_own_field(programme, branch):
    session = factories.SessionFactory.build(
        programme=programme, branch=branch, status="cancelled", cancellation_reason="", capacity=0
    )
    with translation.override("en"):
        errors = errors_of(session)
    assert set(errors) == {"cancellation_reason", "capacity"}
    assert NON_FIELD_ERRORS not in errors


def test_an_agreement_that_ends_before_it_starts(library):
    agreement = factories.AgreementFactory.build(
        library=library, programme=None, partner=factories.PartnerOrganisationFactory()
    )
    agreement.ends_on = agreement.starts_on - timedelta(days=1)
    assert set(errors_of(agreement)) == {"ends_on"}


def test_a_form_shows_the_message_next_to_the_field_with_what_was_typed(programme, branch):
    meeting = factories.SessionFactory(programme=programme, branch=branch)
    form_class = forms.modelform_factory(Session, fields=["starts_at", "ends_at", "capacity"])
    typed = {"starts_at": "2026-12-03 10:00", "ends_at": "2026-12-03 09:00", "capacity": "12"}
    form = form_class(typed, instance=meeting)
    assert not form.is_valid()
    assert list(form.errors) == ["ends_at"]
    assert form["ends_at"].value() == "2026-12-03 09:00"
