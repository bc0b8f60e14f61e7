"""Turning an outbox row into the words that are sent, in the recipient's language."""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db.models import F, Q
from django.template import Context, Engine, TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape, linebreaks

from .defaults import DEFAULTS, SAMPLE_CONTEXT
from .models import MessageTemplate

# Plain text: nothing is HTML-escaped; the HTML part of an e-mail escapes the finished text instead.
_ENGINE = Engine(autoescape=False, string_if_invalid="")


class TemplateProblem(Exception):
    pass


@dataclass
class Rendered:
    subject: str
    body: str

    @property
    def html(self):
        return f"<!doctype html><html><body>{linebreaks(escape(self.body))}</body></html>"


def check_template(source):
    """Compile and render with sample data, so a mistake shows when staff save the text."""
    try:
        _ENGINE.from_string(source).render(Context(SAMPLE_CONTEXT, autoescape=False))
    except TemplateSyntaxError as error:
        raise TemplateProblem(str(error)) from error
    except Exception as error:  # noqa: BLE001 - any render failure is a problem with the text
        raise TemplateProblem(f"{type(error).__name__}: {error}") from error


def _texts(kind, language, library_id):
    # The library's own wording first, then the one for every library, then the built-in text.
    template = (
        MessageTemplate.objects.filter(kind=kind, language=language)
        .filter(Q(library_id=library_id) | Q(library__isnull=True))
        .order_by(F("library_id").asc(nulls_last=True))
        .first()
    )
    if template:
        return template.subject, template.body
    return DEFAULTS.get((kind, language)) or DEFAULTS[(kind, "nl")]


@lru_cache(maxsize=256)
def _compiled(source):
    # The same few texts go out thousands of times; compiling is most of rendering's cost.
    return _ENGINE.from_string(source)


def absolute_url(path):
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _session_for(message):
    if message.session_id:
        return message.session
    registration = message.registration
    if registration is None:
        return None
    if registration.session_id:
        return registration.session
    return registration.run.sessions.filter(starts_at__gte=timezone.now()).order_by("starts_at").first() or (
        registration.run.sessions.order_by("-starts_at").first()
    )


def _place(session):
    if session.is_online:
        return translation.gettext("Online")
    place = session.place
    room = f", {session.room}" if session.room else ""
    return f"{place}{room}, {place.address}"


def message_context(message):
    from sessions.selectors import registration_waitlist_position
    from sessions.tokens import registration_token

    context = dict(message.context or {})
    recipient = message.recipient
    context.setdefault("name", recipient.name if recipient else "")
    context.setdefault("library", message.library.name)
    context.setdefault("agenda_link", absolute_url(reverse("sessions:agenda")))
    registration = message.registration
    if registration is not None:
        context["link"] = absolute_url(
            reverse("sessions:registration", args=[registration_token(registration)])
        )
        context["position"] = registration_waitlist_position(registration=registration) or ""
        context.setdefault("programme", (registration.session or registration.run).programme.name)
    if message.appointment_id:
        context.update(_appointment_context(message.appointment))
    session = _session_for(message)
    if session is not None:
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        context.setdefault("programme", session.programme.name)
        context.update(
            topic=session.topic,
            date=date_format(start, "l j F"),
            time=f"{start:%H:%M} – {end:%H:%M}",
            place=_place(session),
            online_link=session.online_url,
        )
    return context


def _appointment_context(appointment):
    from appointments.tokens import appointment_token

    slot = appointment.slot
    block = slot.block
    coach = block.coach
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    place = block.place
    room = f", {block.room}" if block.room else ""
    return {
        "programme": block.programme.name if block.programme_id else coach.public_title,
        "coach": f"{coach.public_name} ({coach.public_title})" if coach.public_name else coach.public_title,
        "topic": appointment.topic,
        "date": date_format(start, "l j F"),
        "time": f"{start:%H:%M} – {end:%H:%M}",
        "place": f"{place}{room}, {place.address}",
        "link": absolute_url(reverse("appointments:appointment", args=[appointment_token(appointment)])),
    }


def render_message(message, *, texts=None):
    """The words of a message; ``texts`` (a dict) keeps looked-up texts for the next messages."""
    texts = {} if texts is None else texts
    with translation.override(message.language):
        key = (message.kind, message.language, message.library_id)
        if key not in texts:
            texts[key] = _texts(*key)
        subject, body = texts[key]
        # Plain text: a hand-made Context escapes unless told not to, whatever the engine says.
        context = Context(message_context(message), autoescape=False)
        return Rendered(
            subject=" ".join(_compiled(subject).render(context).split()),
            body=_compiled(body).render(context).strip(),
        )
