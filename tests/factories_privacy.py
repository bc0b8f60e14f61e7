import factory
from factory.django import DjangoModelFactory

from privacy.models import AuditEvent
from tests.factories import ParticipantFactory


class AuditEventFactory(DjangoModelFactory):
    """A member of staff looked at a participant's page."""

    participant = factory.SubFactory(ParticipantFactory)
    library = factory.SelfAttribute("participant.library")
    user_label = "coordinator@bibliotheek.example"
    action = AuditEvent.Action.VIEWED
    model_label = "people.Participant"
    object_id = factory.LazyAttribute(lambda o: str(o.participant.pk))
    participant_number = factory.SelfAttribute("participant.pk")

    class Meta:
        model = AuditEvent
        exclude = ["participant"]


FACTORIES = {AuditEvent: AuditEventFactory}
