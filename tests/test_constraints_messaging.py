"""The outbox and message-text constraints (see tests/test_constraints.py for the pattern)."""

import pytest
from django.utils import timezone

from messaging.models import MessageTemplate, OutboxMessage
from tests import factories
from tests.test_constraints import assert_accepted, assert_rejected

pytestmark = pytest.mark.django_db


def test_a_message_needs_a_recipient():
    registration = factories.RegistrationFactory()
    message = factories.OutboxMessageFactory.build(
        registration=registration, participant=None, library=registration.participant.library
    )
    assert_rejected(message, constraint="outbox_has_recipient")


def test_a_sent_message_needs_its_time():
    message = factories.OutboxMessageFactory()
    message.status = OutboxMessage.Status.SENT
    message.sent_at = None
    assert_rejected(message, constraint="outbox_sent_has_time")
    message.sent_at = timezone.now()
    assert_accepted(message)


def test_one_text_per_kind_and_language_per_library():
    library = factories.LibraryFactory()
    factories.MessageTemplateFactory(library=library)
    twin = MessageTemplate(library=library, kind="reminder", language="nl", subject="s", body="b")
    assert_rejected(twin, constraint="message_template_unique_per_library")
    assert_accepted(MessageTemplate(library=library, kind="reminder", language="en", subject="s", body="b"))


def test_one_text_per_kind_and_language_for_all_libraries():
    factories.MessageTemplateFactory(library=None)
    twin = MessageTemplate(library=None, kind="reminder", language="nl", subject="s", body="b")
    assert_rejected(twin, constraint="message_template_unique_for_all")
