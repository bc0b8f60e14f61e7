"""Library organisations, branches, partners, programmes and the people who run them."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.text import slugify

from partners.models import Agreement, PartnerContact, PartnerOrganisation, PartnerSite
from people.models import Worker
from programmes import demo_data
from programmes.models import Branch, Library, Programme, ProgrammeMaterial

from . import vocab

# Which demo programmes a generated library runs, how often they are chosen, and their places.
# (demo slug, weight, capacities to choose from)
PROGRAMME_MIX = [
    ("walk-and-talk", 7, [10, 12, 12, 15, 15, 15, 20]),
    ("werk-aan-je-toekomst", 3, [10, 12, 15, 15]),
    ("walk-and-talk-online", 1, [15, 20]),
    ("jobon-meet-up", 3, [10, 12, 15]),
    ("zoek-werk", 1.0, [10, 10, 12]),
    ("klik-en-tik", 1.0, [8, 10, 10]),
    ("begrijp-je-taal", 0.3, [10, 12]),
    ("persoonlijke-loopbaancoach", 0.7, [3, 4, 6]),
    ("loopbaancoach-week-van-de-loopbaan", 0.5, [6]),
    ("openleercentrum", 0.8, [None]),
    ("taalcafe", 0.4, [None]),
    ("mobiele-mini-bieb-relim", 0.4, [None]),
    ("leeskring-relim", 0.4, [8, 10]),
    ("walk-and-talk-extra", 0.5, [25]),
]
TEMPLATES = {spec["slug"]: spec for spec in demo_data.PROGRAMMES}
# Most meetings are weekly: a weekly "werkcafé" at several branches is what a large library runs.
RHYTHM_VARIANTS = {
    "walk-and-talk": ["weekly", "weekly", "twice_monthly", "monthly", "every_four_weeks"],
    "werk-aan-je-toekomst": ["weekly", "every_four_weeks", "twice_monthly"],
    "jobon-meet-up": ["weekly", "monthly", "twice_monthly"],
}


@dataclass
class Prog:
    id: int
    name: str
    slug: str
    format: str
    rhythm: str
    capacity: int | None
    minutes: int
    meetings: int | None
    registration_required: bool
    accepts_referrals: bool
    branch_id: int | None
    site_id: int | None
    online_url: str
    opens_month_before: bool
    reminder_hours: tuple = (24, 2)
    referrals: list = field(default_factory=list)  # (participant id, referral id)


@dataclass
class Lib:
    id: int
    name: str
    slug: str
    town: str
    branches: list = field(default_factory=list)  # (id, town)
    programmes: list = field(default_factory=list)
    workers: dict = field(default_factory=dict)  # kind -> [id]
    municipality: int = 0
    contacts: list = field(default_factory=list)
    site: int = 0
    partners: list = field(default_factory=list)
    participants: object = None


class Names:
    """Unique names and slugs across the whole data set (and the rows already in the database)."""

    def __init__(self, taken=()):
        self.taken = set(taken)

    def unique(self, base, scope=""):
        candidate, number = base, 2
        while (scope, candidate) in self.taken:
            candidate, number = f"{base} {number}", number + 1
        self.taken.add((scope, candidate))
        return candidate


def person_name(rng):
    return f"{rng.choice(vocab.FIRST_NAMES)} {rng.choice(vocab.LAST_NAMES)}"


def _address(rng, town):
    return (
        f"{rng.choice(vocab.STREETS)} {rng.randint(1, 180)}",
        f"{rng.randint(1000, 9999)} {chr(65 + rng.randrange(26))}{chr(65 + rng.randrange(26))}",
        town,
    )


def national_partners(gen):
    """The partners that work with libraries everywhere: made once, reused by every library."""
    table = gen.table(PartnerOrganisation)
    ids = []
    for name, kind in vocab.NATIONAL_PARTNERS:
        existing = gen.existing_partners.get(name)
        if existing:
            ids.append(existing)
            continue
        pk = table.new_id()
        slug = gen.names.unique(slugify(name), "partner-slug")
        gen.names.taken.add(("partner", name))
        table.add(pk, name, slug, kind, f"{name} werkt samen met bibliotheken.", "", gen.stamp, gen.stamp)
        ids.append(pk)
    return ids


def library(gen, rng, number):
    town = vocab.TOWNS[number % len(vocab.TOWNS)]
    style = rng.choice(["Bibliotheek {}", "Bibliotheek {}", "Bibliotheek Regio {}", "Bibliotheek {} e.o."])
    name = gen.names.unique(style.format(town), "library")
    slug = gen.names.unique(slugify(name), "library-slug")
    lib = Lib(gen.table(Library).new_id(), name, slug, town)
    website = f"https://www.{slug}.example.org/"
    gen.table(Library).add(
        lib.id, name, slug, website, f"werk@{slug}.example.org", f"+3120{rng.randrange(10**7):07d}",
        gen.stamp, gen.stamp,
    )  # fmt: skip
    _branches(gen, rng, lib)
    _partners(gen, rng, lib)
    _workers(gen, rng, lib)
    return lib


def _branches(gen, rng, lib):
    towns = [lib.town] + rng.sample(vocab.TOWNS, 16)
    table, seen = gen.table(Branch), set()
    for index in range(rng.randint(6, 14)):
        town = towns[index] if towns[index] != lib.town or index == 0 else towns[-1]
        name = f"Bibliotheek {town}"
        if name in seen:
            name = f"Bibliotheek {lib.town} {rng.choice(vocab.DISTRICTS)}"
        slug = slugify(name)[:80]
        if name in seen or slug in seen:
            continue
        seen.update((name, slug))
        pk = table.new_id()
        street, postcode, city = _address(rng, town)
        table.add(
            pk, lib.id, name, slug, "", vocab.OPENING_HOURS, rng.random() > 0.04,
            street, postcode, city, rng.choice(vocab.DIRECTIONS), gen.stamp, gen.stamp,
        )  # fmt: skip
        lib.branches.append((pk, town))


def _partners(gen, rng, lib):
    partners, sites, contacts = (
        gen.table(PartnerOrganisation),
        gen.table(PartnerSite),
        gen.table(PartnerContact),
    )
    name = gen.names.unique(f"Gemeente {lib.town}", "partner")
    lib.municipality = partners.new_id()
    partners.add(
        lib.municipality, name, gen.names.unique(slugify(name), "partner-slug"), "municipality",
        "Verwijst werkzoekenden met een uitkering door.", f"https://www.{slugify(lib.town)}.example.org/",
        gen.stamp, gen.stamp,
    )  # fmt: skip
    lib.site = sites.new_id()
    street, postcode, city = _address(rng, lib.town)
    sites.add(lib.site, lib.municipality, "Werkplein", street, postcode, city, "", gen.stamp, gen.stamp)
    for number in range(rng.randint(3, 6)):
        pk = contacts.new_id()
        email = f"consulent{number}.{lib.slug}@gemeente.example.org"
        contacts.add(
            pk, lib.municipality, person_name(rng), rng.choice(vocab.CONTACT_ROLES), email, "",
            gen.stamp, gen.stamp,
        )  # fmt: skip
        lib.contacts.append(pk)
    lib.partners = [lib.municipality, *rng.sample(gen.national, rng.randint(2, 5))]
    through = gen.table(PartnerOrganisation.libraries.through)
    for partner in lib.partners:
        through.add(through.new_id(), partner, lib.id)


def _workers(gen, rng, lib):
    table = gen.table(Worker)
    for kind, count in (("staff", 3), ("volunteer", 6), ("speaker", 3), ("coach", 2), ("teacher", 2)):
        names = set()
        while len(names) < count:
            names.add(person_name(rng))
        for name in sorted(names):
            pk = table.new_id()
            organisation = rng.choice(lib.partners[1:]) if kind in ("speaker", "coach") else None
            table.add(pk, lib.id, name, kind, organisation, "", "", "", "", True, gen.stamp, gen.stamp)
            lib.workers.setdefault(kind, []).append(pk)


def programme(gen, rng, lib, template_slug, capacities):
    """One programme of the library, from a demo template, at one of its branches."""
    spec = TEMPLATES[template_slug]
    lib_slugs = {p.slug for p in lib.programmes}
    branch_id, town = rng.choice(lib.branches)
    slug, name = template_slug, spec["name"]
    if slug in lib_slugs:
        slug, name = f"{template_slug}-{slugify(town)}"[:80], f"{spec['name']} {town}"
    if slug in lib_slugs:
        return None
    fmt = spec["format"]
    online = spec.get("delivery") == "online"
    outreach = fmt == "outreach"
    capacity = rng.choice(capacities)
    rhythm = rng.choice(RHYTHM_VARIANTS.get(template_slug, [spec["rhythm"]]))
    registration_required = spec.get("registration_required", True)
    accepts = bool(spec.get("accepts_referrals")) or (registration_required and rng.random() < 0.25)
    accepts = accepts and fmt != "walk_in"
    prog = Prog(
        id=gen.table(Programme).new_id(), name=name, slug=slug, format=fmt, rhythm=rhythm, capacity=capacity,
        minutes=spec["minutes"], meetings=spec.get("number_of_meetings"),
        registration_required=registration_required, accepts_referrals=accepts,
        branch_id=None if online or outreach else branch_id, site_id=lib.site if outreach else None,
        online_url=f"https://meet.example.org/{lib.slug}-{slug}" if online else "",
        opens_month_before=rng.random() < 0.1,
    )  # fmt: skip
    gen.table(Programme).add(
        prog.id, lib.id, name, slug, spec["summary"], spec["description"], fmt, spec.get("audience", ""),
        spec.get("language_level", ""), spec.get("language_group", ""), spec.get("delivery", "in_person"),
        rhythm, prog.meetings, timedelta(minutes=prog.minutes), capacity, registration_required, accepts,
        None if online or outreach else branch_id, spec.get("what_to_bring", ""), True, "24,2", 30,
        gen.stamp, gen.stamp,
    )  # fmt: skip
    if accepts:
        referring = gen.table(Programme.referring_partners.through)
        referring.add(referring.new_id(), prog.id, lib.municipality)
    delivering = gen.table(Programme.delivering_partners.through)
    for partner in rng.sample(lib.partners[1:], 1 if rng.random() < 0.4 else 0):
        delivering.add(delivering.new_id(), prog.id, partner)
    for material in spec.get("materials", []):
        gen.table(ProgrammeMaterial).add(
            gen.table(ProgrammeMaterial).new_id(), prog.id, material["title"], material.get("kind", "other"),
            None, material.get("url") or "https://materiaal.example.org/", "", material.get("notes", ""),
            gen.stamp, gen.stamp,
        )  # fmt: skip
    lib.programmes.append(prog)
    return prog


def agreements(gen, rng, lib):
    table = gen.table(Agreement)
    for prog in [p for p in lib.programmes if p.accepts_referrals][:2]:
        starts = gen.today.replace(month=9, day=1)
        if starts > gen.today:
            starts = starts.replace(year=starts.year - 1)
        table.add(
            table.new_id(), lib.id, lib.municipality, prog.id, f"Afspraak {prog.slug} met de gemeente",
            starts, starts.replace(year=starts.year + 3) - timedelta(days=1), rng.choice([20, 30, 40, 60]),
            "", gen.stamp, gen.stamp,
        )  # fmt: skip
