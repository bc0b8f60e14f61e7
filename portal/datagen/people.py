"""Participants (one record per person and library), their consents, and referrals from partners."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.text import slugify

from partners.models import Referral
from people.models import Consent, Participant

from . import vocab

_TLDS = ["org", "com", "net"]
_PHONE_SPACE = 5 * 10**7  # 06-1xxxxxxx to 06-5xxxxxxx: Dutch mobile numbers
_REFERRAL_STATUSES = ["received", "intake_planned", "enrolled", "active", "completed", "stopped", "no_show"]
_REFERRAL_WEIGHTS = [10, 10, 15, 25, 25, 8, 7]
# Referrals whose participant goes to the programme's meetings.
_ATTENDING = {"enrolled", "active", "completed", "no_show"}


@dataclass
class Pool:
    """A library's participants: consecutive ids, and what messages to them need."""

    first_id: int
    channels: list = field(default_factory=list)  # the channel messages use, or None
    languages: list = field(default_factory=list)

    @property
    def size(self):
        return len(self.channels)

    def pick(self, rng):
        """Skewed: a few regulars come to many meetings, most people to one or two."""
        return int(self.size * rng.random() ** 1.6)


def _message_channel(preferred, phone, email):
    if preferred == "email" and email:
        return "email"
    if preferred in ("sms", "whatsapp") and phone:
        return preferred
    if phone:
        return "sms"
    return "email" if email else None


def participants(gen, rng, lib):
    table, consents = gen.table(Participant), gen.table(Consent)
    pool = Pool(first_id=table.next_id)
    offset, step = rng.randrange(_PHONE_SPACE), 7919 + 2 * rng.randrange(1000)
    while step % 5 == 0:
        step += 2
    for index in range(rng.randint(1600, 2400)):
        pk = table.new_id()
        first, last = rng.choice(vocab.FIRST_NAMES), rng.choice(vocab.LAST_NAMES)
        kind = rng.random()
        number = (offset + index * step) % _PHONE_SPACE
        phone = "" if kind < 0.10 else f"+316{1 + number // 10**7}{number % 10**7:07d}"
        has_email = 0.03 <= kind < 0.10 or (kind >= 0.10 and rng.random() < 0.35)
        email = f"{slugify(first)}.{slugify(last).replace('-', '')}{index}@example.{rng.choice(_TLDS)}"
        email = email if has_email else ""
        if not phone and not email:
            preferred = ""
        elif not phone:
            preferred = "email"
        else:
            preferred = rng.choices(["sms", "whatsapp", "call", "email"], [55, 25, 10, 10])[0]
            if preferred == "email" and not email:
                preferred = "sms"
        language = "en" if rng.random() < 0.08 else "nl"
        created = gen.window_start - timedelta(days=rng.uniform(0, 365))
        last_activity = gen.now - timedelta(days=rng.uniform(0, 120))
        table.add(
            pk, lib.id, f"{first} {last}", phone, email, preferred, language, not (phone or email),
            last_activity, created, created,
        )  # fmt: skip
        pool.channels.append(_message_channel(preferred, phone, email))
        pool.languages.append(language)
        if phone or email:
            method = rng.choices(["online", "desk", "phone"], [70, 20, 10])[0]
            withdrawn = gen.now - timedelta(days=rng.uniform(0, 60)) if rng.random() < 0.02 else None
            consents.add(consents.new_id(), pk, "contact", vocab.CONSENT_CONTACT, method, created, withdrawn)
    lib.participants = pool


def referrals(gen, rng, lib):
    """Municipal consultants refer people to the programmes that accept referrals."""
    programmes = [p for p in lib.programmes if p.accepts_referrals]
    if not programmes or not lib.contacts:
        return
    table, consents, pool = gen.table(Referral), gen.table(Consent), lib.participants
    span = (gen.now - gen.window_start).total_seconds()
    for _ in range(rng.randint(250, 416)):
        prog = rng.choice(programmes)
        index = pool.pick(rng)
        participant = pool.first_id + index
        status = rng.choices(_REFERRAL_STATUSES, _REFERRAL_WEIGHTS)[0]
        created = gen.window_start + timedelta(seconds=rng.uniform(0, span))
        if status in ("received", "intake_planned"):
            created = gen.now - timedelta(days=rng.uniform(1, 40))
        changed = min(gen.now, created + timedelta(days=rng.uniform(0, 60)))
        intake_at = None
        if status == "intake_planned":
            intake_at = gen.at(gen.today + timedelta(days=rng.randint(1, 21)), rng.choice([10, 11, 14, 15]))
        elif status != "received":
            intake_at = created + timedelta(days=rng.uniform(3, 14))
        report = rng.random() < 0.6
        stop_reason = rng.choice(vocab.STOP_REASONS) if status == "stopped" else ""
        pk = table.new_id()
        table.add(
            pk, lib.id, lib.municipality, rng.choice(lib.contacts), participant, prog.id,
            rng.choices(["voluntary", "mandatory"], [70, 30])[0], True, report, created.date(),
            rng.choice(vocab.REFERRAL_NOTES), status, changed, intake_at,
            "Werkplein" if intake_at else "", stop_reason, created, changed,
        )  # fmt: skip
        if report:
            text = vocab.CONSENT_REPORT.format(partner=f"de gemeente {lib.town}", programme=prog.slug)
            consents.add(
                consents.new_id(), participant, "report_to_referrer", text, "referral", created, None
            )
        if status in _ATTENDING:
            prog.referrals.append((index, pk))
