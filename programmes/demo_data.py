"""The plain demo data behind `manage.py load_demo_data` (the loading logic is in `programmes.demo`).

Five library organisations and what they run for job seekers, as they told it in the interviews
"Veel belangstelling voor activiteiten voor werkzoekenden" (May 2020). Every person, address, phone
number and e-mail address is fictional; web addresses use the reserved example.org domain.

Dates are relative to the day of loading. An anchor says where a series of meetings starts:
- ("weekday", weekday, weeks): the first such weekday after today, moved `weeks` weeks (may be negative);
- ("month", weekday, nth, months): the nth such weekday of this month moved `months` months;
- ("week_van_de_loopbaan", day, "past" | "next"): a day (0 = Monday) of the Week van de Loopbaan,
  which starts on the first Monday of October.
"""

MON, TUE, WED, THU, FRI = range(5)

STAFF_USERNAME = "staf"
STAFF_EMAIL = "staf@bibliotheek.example"
STAFF_PASSWORD = "demo-wachtwoord"  # noqa: S105 - the published demo login, printed by scripts/serve-local
# Staff of one library each, with the same demo password: they see only their own library.
DEMO_STAFF = [
    {
        "username": "coordinator.langedijk",
        "email": "coordinator@langedijk.example",
        "name": ("Demo", "Coördinator"),
        "group": "coordinator",
        "library": "bibliotheek-langedijk",
    },
    {
        "username": "vrijwilliger.langedijk",
        "email": "vrijwilliger@langedijk.example",
        "name": ("Demo", "Vrijwilliger"),
        "group": "host",
        "library": "bibliotheek-langedijk",
    },
]

# Consultants with an account for the referral portal (/verwijzers/), one per referring organisation;
# they log in with their contact's e-mail address and the demo password. (partner slug, contact name)
DEMO_CONSULTANTS = [
    ("gemeente-drechterland", "Linda Groot"),
    ("gemeente-amstelveen", "Sandra de Wit"),
    ("ibn", "Petra Janssen"),
]

MONTHS_NL = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip

# (month, day) on which libraries are closed; a generated meeting on such a day is cancelled.
HOLIDAYS = {(12, 25): "Eerste Kerstdag", (12, 26): "Tweede Kerstdag", (1, 1): "Nieuwjaarsdag"}

_HOURS = "Maandag 13.00 - 17.00 uur\nDinsdag tot en met vrijdag 10.00 - 18.00 uur\nZaterdag 10.00 - 14.00 uur"
_HOURS_SMALL = "Dinsdag 14.00 - 17.00 uur\nDonderdag 14.00 - 20.00 uur\nZaterdag 10.00 - 13.00 uur"

WFB, AMS, LGD, BPL, LGO = (
    "westfriese-bibliotheken",
    "bibliotheek-amstelland",
    "bibliotheek-langedijk",
    "biblioplus",
    "bibliotheek-landgraaf-onderbanken",
)

LIBRARIES = [
    {
        "slug": WFB,
        "name": "Westfriese Bibliotheken",
        "website": "https://www.westfriesebibliotheken.example.org/",
        "email": "werk@westfriesebibliotheken.example.org",
        "branches": [
            {
                "slug": "hoorn",
                "name": "Bibliotheek Hoorn",
                "street": "Kleine Noord 30",
                "postcode": "1621 GD",
                "city": "Hoorn",
                "opening_hours": _HOURS,
                "directions": "Vijf minuten lopen van station Hoorn. De zaal is op de eerste verdieping. "
                "Er is een lift.",
            },
            {
                "slug": "enkhuizen",
                "name": "Bibliotheek Enkhuizen",
                "street": "Westerstraat 120",
                "postcode": "1601 AL",
                "city": "Enkhuizen",
                "opening_hours": _HOURS,
                "directions": "De ingang is aan de Westerstraat. Fietsen kun je naast de deur zetten.",
            },
            {
                "slug": "hoogkarspel",
                "name": "Bibliotheek Hoogkarspel",
                "street": "Raadhuisplein 5",
                "postcode": "1616 AV",
                "city": "Hoogkarspel",
                "opening_hours": _HOURS_SMALL,
                "directions": "Naast het gemeentehuis van Drechterland. Bus 139 stopt voor de deur.",
            },
        ],
    },
    {
        "slug": AMS,
        "name": "Bibliotheek Amstelland",
        "website": "https://www.bibliotheekamstelland.example.org/",
        "email": "werk@bibliotheekamstelland.example.org",
        "branches": [
            {
                "slug": "amstelveen-stadsplein",
                "name": "Bibliotheek Amstelveen Stadsplein",
                "street": "Stadsplein 2",
                "postcode": "1181 ZK",
                "city": "Amstelveen",
                "opening_hours": _HOURS,
                "directions": "Aan het Stadsplein, tegenover het winkelcentrum. Tram 25 stopt bij "
                "halte Stadshart.",
            },
            {
                "slug": "aalsmeer",
                "name": "Bibliotheek Aalsmeer",
                "street": "Marktstraat 19",
                "postcode": "1431 BD",
                "city": "Aalsmeer",
                "opening_hours": _HOURS,
                "directions": "In het centrum van Aalsmeer. Je kunt gratis parkeren op het Praamplein.",
            },
            {
                "slug": "ouderkerk",
                "name": "Bibliotheek Ouderkerk aan de Amstel",
                "street": "Kerkstraat 12",
                "postcode": "1191 JD",
                "city": "Ouderkerk aan de Amstel",
                "opening_hours": _HOURS_SMALL,
                "directions": "Naast de kerk. De ingang is gelijkvloers.",
            },
        ],
    },
    {
        "slug": LGD,
        "name": "Bibliotheek Langedijk",
        "website": "https://www.bibliotheeklangedijk.example.org/",
        "email": "werk@bibliotheeklangedijk.example.org",
        "branches": [
            {
                "slug": "broek-op-langedijk",
                "name": "Bibliotheek Broek op Langedijk",
                "street": "Dorpsstraat 40",
                "postcode": "1721 BK",
                "city": "Broek op Langedijk",
                "opening_hours": _HOURS,
                "directions": "In het centrum, naast het dorpshuis. Er is een invalidenparkeerplaats.",
            },
            {
                "slug": "noord-scharwoude",
                "name": "Bibliotheek Noord-Scharwoude",
                "street": "Voorburggracht 85",
                "postcode": "1723 HA",
                "city": "Noord-Scharwoude",
                "opening_hours": _HOURS_SMALL,
                "directions": "In het cultureel centrum. Neem de ingang aan de kant van het water.",
            },
        ],
    },
    {
        "slug": BPL,
        "name": "BiblioPlus",
        "website": "https://www.biblioplus.example.org/",
        "email": "werk@biblioplus.example.org",
        "branches": [
            {
                "slug": "cuijk",
                "name": "Bibliotheek Cuijk",
                "street": "Kerkstraat 7",
                "postcode": "5431 DK",
                "city": "Cuijk",
                "opening_hours": _HOURS,
                "directions": "Tien minuten lopen van station Cuijk. De leszaal is achter de leestafel.",
            },
            {
                "slug": "boxmeer",
                "name": "Bibliotheek Boxmeer",
                "street": "Steenstraat 40",
                "postcode": "5831 JE",
                "city": "Boxmeer",
                "opening_hours": _HOURS,
                "directions": "In cultureel centrum Weijerstraat. Vraag bij de balie naar de spreekkamer.",
            },
        ],
    },
    {
        "slug": LGO,
        "name": "Bibliotheek Landgraaf-Onderbanken",
        "website": "https://www.bibliotheeklandgraaf.example.org/",
        "email": "info@bibliotheeklandgraaf.example.org",
        "branches": [
            {
                "slug": "landgraaf",
                "name": "Bibliotheek Landgraaf",
                "street": "Hoofdstraat 20",
                "postcode": "6372 EC",
                "city": "Landgraaf",
                "opening_hours": _HOURS,
                "directions": "Bij het winkelcentrum in Schaesberg. Bus 30 stopt om de hoek.",
            },
            {
                "slug": "schinveld",
                "name": "Bibliotheek Schinveld",
                "street": "Kerkstraat 8",
                "postcode": "6451 CH",
                "city": "Schinveld",
                "opening_hours": _HOURS_SMALL,
                "directions": "In gemeenschapshuis 't Gen Hoes, op de begane grond.",
            },
        ],
    },
]

PARTNERS = [
    {
        "slug": "gemeente-drechterland",
        "name": "Gemeente Drechterland",
        "kind": "municipality",
        "description": "Vroeg de bibliotheek om Zoek werk op te zetten voor inwoners met een grote afstand "
        "tot de arbeidsmarkt. De gemeente verwijst deelnemers door; meedoen is vrijwillig.",
        "website": "https://www.drechterland.example.org/",
        "libraries": [WFB],
        "contacts": [
            {
                "name": "Linda Groot",
                "role": "Klantmanager Werk en Inkomen",
                "email": "linda.groot@drechterland.example.org",
            },
            {
                "name": "Bart Kuijpers",
                "role": "Beleidsadviseur participatie",
                "email": "bart.kuijpers@drechterland.example.org",
            },
        ],
    },
    {
        "slug": "gemeente-amstelveen",
        "name": "Gemeente Amstelveen",
        "kind": "municipality",
        "description": "WerkpleinAA van de gemeente Amstelveen helpt werkzoekenden uit Amstelveen en "
        "Aalsmeer. De gemeente geeft hen de opdracht om Klik & Tik te volgen.",
        "website": "https://www.amstelveen.example.org/werkpleinaa",
        "libraries": [AMS],
        "sites": [
            {
                "name": "WerkpleinAA",
                "street": "Laan van Langerhuize 1",
                "postcode": "1186 DS",
                "city": "Amstelveen",
                "directions": "Meld je bij de balie van WerkpleinAA op de begane grond. De les is in "
                "computerlokaal 2.",
            }
        ],
        "contacts": [
            {
                "name": "Sandra de Wit",
                "role": "Werkconsulent WerkpleinAA",
                "email": "sandra.dewit@amstelveen.example.org",
            },
            {
                "name": "Jeroen Kok",
                "role": "Teamleider WerkpleinAA",
                "email": "jeroen.kok@amstelveen.example.org",
            },
        ],
    },
    {
        "slug": "gemeente-aalsmeer",
        "name": "Gemeente Aalsmeer",
        "kind": "municipality",
        "description": "Werkzoekenden uit Aalsmeer gaan naar WerkpleinAA in Amstelveen.",
        "website": "https://www.aalsmeer.example.org/",
        "libraries": [AMS],
        "contacts": [
            {
                "name": "Mark Pronk",
                "role": "Beleidsadviseur werk en inkomen",
                "email": "mark.pronk@aalsmeer.example.org",
            },
        ],
    },
    {
        "slug": "gemeente-cuijk",
        "name": "Gemeente Cuijk",
        "kind": "municipality",
        "description": "Vroeg de bibliotheek om iets te doen voor NT1-leerders. Zo ontstond Begrijp je taal!",
        "website": "https://www.cuijk.example.org/",
        "libraries": [BPL],
        "contacts": [
            {
                "name": "Anja Willems",
                "role": "Beleidsadviseur volwasseneneducatie",
                "email": "anja.willems@cuijk.example.org",
            },
        ],
    },
    {
        "slug": "ibn",
        "name": "IBN",
        "kind": "sheltered_employment",
        "description": "Sociale werkvoorziening. IBN-medewerkers krijgen korting op hun "
        "bibliotheeklidmaatschap. Past de eigen taaltraining niet, dan verwijst IBN door naar de "
        "bibliotheek in Cuijk; de intake is bij IBN.",
        "website": "https://www.ibn.example.org/",
        "libraries": [BPL],
        "sites": [
            {
                "name": "IBN Cuijk",
                "street": "Industrieweg 20",
                "postcode": "5433 NK",
                "city": "Cuijk",
                "directions": "Meld je bij de receptie. De intake is in spreekkamer 3.",
            }
        ],
        "contacts": [
            {
                "name": "Petra Janssen",
                "role": "Opleidingscoördinator",
                "email": "petra.janssen@ibn.example.org",
            },
        ],
    },
    {
        "slug": "relim",
        "name": "Relim",
        "kind": "work_learning",
        "description": "Leerwerkbedrijf in Zuid-Limburg voor mensen met een psychische kwetsbaarheid en een "
        "afstand tot de arbeidsmarkt. Sinds 2012 komt de mobiele mini-bieb hier.",
        "website": "https://www.relim.example.org/",
        "libraries": [LGO],
        "sites": [
            {
                "name": "Leerwerkplaats Heerlen",
                "street": "Schaesbergerweg 100",
                "postcode": "6415 AM",
                "city": "Heerlen",
                "directions": "De mini-bieb en de leeskring zijn in de kantine, op de begane grond.",
            }
        ],
        "contacts": [
            {"name": "Mieke Bosch", "role": "Jobcoach", "email": "mieke.bosch@relim.example.org"},
        ],
    },
    {
        "slug": "de-levende-sollicitatiegids",
        "name": "De Levende Sollicitatiegids",
        "kind": "training_provider",
        "description": "Maakte Zoek werk op maat voor de bibliotheek en de gemeente Drechterland.",
        "website": "https://www.levendesollicitatiegids.example.org/",
        "libraries": [WFB],
        "contacts": [
            {
                "name": "Karin Vos",
                "role": "Trainer en ontwikkelaar",
                "email": "karin.vos@levendesollicitatiegids.example.org",
            },
        ],
    },
    {
        "slug": "jobon",
        "name": "JobOn",
        "kind": "training_provider",
        "description": "Levert draaiboeken voor de JobOn meet-ups (vroeger DeBroekriem) en online meet-ups. "
        "Via het platform van JobOn hebben bibliotheekbezoekers gratis toegang tot GoodHabit.",
        "website": "https://www.jobon.example.org/",
        "libraries": [AMS, BPL],
        "contacts": [
            {"name": "Tom Bos", "role": "Contactpersoon bibliotheken", "email": "tom.bos@jobon.example.org"},
        ],
    },
    {
        "slug": "goodhabit",
        "name": "GoodHabit",
        "kind": "e_learning",
        "description": "E-learnings over werk en loopbaan, gratis voor bibliotheekbezoekers via JobOn.",
        "website": "https://www.goodhabit.example.org/",
        "libraries": [AMS],
        "contacts": [
            {"name": "Eva Mulder", "role": "Accountmanager", "email": "eva.mulder@goodhabit.example.org"},
        ],
    },
    {
        "slug": "noloc",
        "name": "Noloc",
        "kind": "coaching_network",
        "description": "Beroepsvereniging van loopbaancoaches. Organiseert de Week van de Loopbaan.",
        "website": "https://www.noloc.example.org/",
        "libraries": [AMS],
        "contacts": [
            {
                "name": "Paul de Jong",
                "role": "Coördinator Week van de Loopbaan",
                "email": "paul.dejong@noloc.example.org",
            },
        ],
    },
    {
        "slug": "roc-vista",
        "name": "ROC Vista",
        "kind": "education",
        "description": "Roc in Zuid-Limburg. De vrijwilliger van de leeskring was hier docent.",
        "website": "https://www.rocvista.example.org/",
        "libraries": [LGO],
        "contacts": [
            {
                "name": "Hanneke Lemmens",
                "role": "Teamleider volwasseneneducatie",
                "email": "hanneke.lemmens@rocvista.example.org",
            },
        ],
    },
    {
        "slug": "taalhuis-cuijk",
        "name": "Taalhuis Cuijk",
        "kind": "literacy_alliance",
        "description": "Hier melden NT1- en NT2-kandidaten zich aan. Begrijp je taal! is voor alle "
        "NT1-kandidaten van het Taalhuis.",
        "website": "https://www.taalhuiscuijk.example.org/",
        "libraries": [BPL],
        "contacts": [
            {
                "name": "Ellen Gerrits",
                "role": "Coördinator Taalhuis",
                "email": "ellen.gerrits@taalhuiscuijk.example.org",
            },
        ],
    },
    {
        "slug": "bondgenootschap-geletterdheid-parkstad",
        "name": "Bondgenootschap voor Geletterdheid Parkstad",
        "kind": "literacy_alliance",
        "description": "Samenwerking tegen laaggeletterdheid onder NT1'ers in Parkstad. De bibliotheek en "
        "Relim doen allebei mee.",
        "website": "https://www.geletterdheidparkstad.example.org/",
        "libraries": [LGO],
        "contacts": [
            {
                "name": "Marcel Jacobs",
                "role": "Projectleider",
                "email": "marcel.jacobs@geletterdheidparkstad.example.org",
            },
        ],
    },
]

_CV = "Je cv, als je die hebt."

PROGRAMMES = [
    # Westfriese Bibliotheken
    {
        "library": WFB,
        "slug": "werk-aan-je-toekomst",
        "name": "Werk aan je toekomst",
        "summary": "Elke vier weken praten we samen over werk zoeken.",
        "description": "Zoek je werk? Of wil je ander werk? Kom dan naar Werk aan je toekomst.\n\n"
        "Elke vier weken is er een bijeenkomst in de bibliotheek. Elke keer is er een thema. "
        "Soms komt er een gast. Bijvoorbeeld iemand die een heel ander vak koos. Of iemand van het "
        "werkloket.\n\n"
        "Je doet het samen met de andere deelnemers. Je leert elkaar kennen. Je helpt elkaar. "
        "Meedoen is gratis.",
        "format": "group_meeting",
        "audience": "Mensen die werk zoeken of ander werk willen.",
        "rhythm": "every_four_weeks",
        "minutes": 120,
        "default_capacity": 15,
        "branch": "hoorn",
        "what_to_bring": _CV,
    },
    {
        "library": WFB,
        "slug": "walk-and-talk-online",
        "name": "Walk & Talk Online",
        "summary": "Praat online met andere werkzoekenden over werk.",
        "description": "Walk & Talk Online is een bijeenkomst op de computer. Of op je telefoon.\n\n"
        "Je praat met andere mensen die werk zoeken. Elke keer is er een onderwerp. Het duurt een uur.\n\n"
        "Meld je aan. Dan krijg je een link. Met die link doe je mee. Meedoen is gratis.",
        "format": "group_meeting",
        "audience": "Mensen die werk zoeken en niet naar de bibliotheek kunnen komen.",
        "delivery": "online",
        "rhythm": "every_four_weeks",
        "minutes": 60,
        "default_capacity": 20,
        "what_to_bring": "Een computer, tablet of telefoon met internet. Een koptelefoon is handig.",
    },
    {
        "library": WFB,
        "slug": "zoek-werk",
        "name": "Zoek werk",
        "summary": "Een cursus van 10 lessen. Je leert stap voor stap werk zoeken.",
        "description": "Zoek werk is een cursus voor mensen die werk zoeken. Je spreekt een beetje "
        "Nederlands. Dat is genoeg.\n\n"
        "Er zijn 10 bijeenkomsten. Je leert in de groep. En thuis, op de computer of telefoon. "
        "Je leert vacatures lezen, een cv maken en een gesprek oefenen.\n\n"
        "Een medewerker van de bibliotheek leidt de groep. Oud-deelnemers vertellen hoe zij werk vonden.\n\n"
        "De gemeente Drechterland vertelt je over deze cursus. Meedoen is vrijwillig. Je kiest zelf.",
        "format": "course",
        "audience": "Inwoners van Drechterland die werk zoeken en weinig met de computer doen.",
        "language_level": "A1",
        "delivery": "hybrid",
        "rhythm": "weekly",
        "number_of_meetings": 10,
        "minutes": 120,
        "default_capacity": 10,
        "accepts_referrals": True,
        "referring": ["gemeente-drechterland"],
        "delivering": ["de-levende-sollicitatiegids"],
        "branch": "hoogkarspel",
        "what_to_bring": "Je telefoon en een pen. " + _CV,
        "materials": [
            {
                "title": "Zoek werk: lesmateriaal en online oefeningen",
                "kind": "course_material",
                "provider": "de-levende-sollicitatiegids",
                "url": "https://www.levendesollicitatiegids.example.org/zoek-werk",
                "notes": "Blended learning op taalniveau A1, op maat gemaakt voor Drechterland.",
            },
        ],
    },
    {
        "library": WFB,
        "slug": "klik-en-tik",
        "name": "Klik & Tik",
        "summary": "Leer de basis van de computer en internet.",
        "description": "Vind je de computer lastig? In Klik & Tik leer je het stap voor stap.\n\n"
        "Je leert de muis en het toetsenbord gebruiken. Je leert e-mailen en zoeken op internet. "
        "Je werkt in een kleine groep. Een vrijwilliger helpt je. Er zijn 8 lessen.",
        "format": "course",
        "audience": "Volwassenen die weinig of niets met de computer doen.",
        "rhythm": "weekly",
        "number_of_meetings": 8,
        "minutes": 120,
        "default_capacity": 8,
        "branch": "enkhuizen",
        "what_to_bring": "Niets. De bibliotheek heeft computers. Neem je leesbril mee, als je die hebt.",
        "materials": [
            {
                "title": "Klik & Tik: oefenen op de website",
                "kind": "e_learning",
                "url": "https://www.klikentik.example.org/",
            },
        ],
    },
    # Bibliotheek Amstelland
    {
        "library": AMS,
        "slug": "walk-and-talk",
        "name": "Walk & Talk",
        "summary": "Elke maand een netwerkbijeenkomst voor werkzoekenden.",
        "description": "Walk & Talk is een bijeenkomst voor mensen die werk zoeken. Hij is elke maand.\n\n"
        "Eerst is er 45 minuten een onderwerp. Soms vertelt een spreker iets. Soms doen we een spel. "
        "Bijvoorbeeld het grote sollicitatiegesprek of het kwaliteitenspel.\n\n"
        "Daarna praat je met de andere deelnemers. Je deelt tips. Je leert nieuwe mensen kennen. "
        "Meedoen is gratis.",
        "format": "group_meeting",
        "audience": "Mensen die werk zoeken.",
        "rhythm": "monthly",
        "minutes": 120,
        "default_capacity": 20,
        "branch": "amstelveen-stadsplein",
        "what_to_bring": _CV,
    },
    {
        "library": AMS,
        "slug": "jobon-meet-up",
        "name": "JobOn meet-up",
        "summary": "Elke maand een workshop over solliciteren.",
        "description": "De JobOn meet-up is een workshop. Hij is elke maand. Vroeger heette hij DeBroekriem.\n\n"
        "Elke keer is er een ander onderwerp. Bijvoorbeeld: je pitch. Of je cv beter maken. "
        "We werken met materiaal van JobOn.\n\n"
        "Je doet zelf veel. Je oefent samen met anderen. Meedoen is gratis.",
        "format": "workshop",
        "audience": "Mensen die werk zoeken en willen oefenen met solliciteren.",
        "rhythm": "monthly",
        "minutes": 120,
        "default_capacity": 12,
        "branch": "amstelveen-stadsplein",
        "delivering": ["jobon"],
        "what_to_bring": _CV + " Een telefoon of laptop is handig.",
        "materials": [
            {
                "title": "Draaiboek: je pitch",
                "kind": "script",
                "provider": "jobon",
                "url": "https://www.jobon.example.org/draaiboeken/je-pitch",
            },
            {
                "title": "Draaiboek: je cv verbeteren",
                "kind": "script",
                "provider": "jobon",
                "url": "https://www.jobon.example.org/draaiboeken/cv-verbeteren",
            },
            {
                "title": "Draaiboek: solliciteren met LinkedIn",
                "kind": "script",
                "provider": "jobon",
                "url": "https://www.jobon.example.org/draaiboeken/linkedin",
            },
            {
                "title": "E-learnings van GoodHabit",
                "kind": "e_learning",
                "provider": "goodhabit",
                "url": "https://www.goodhabit.example.org/bibliotheek",
                "notes": "Gratis voor bibliotheekbezoekers via het platform van JobOn.",
            },
        ],
    },
    {
        "library": AMS,
        "slug": "loopbaancoach-week-van-de-loopbaan",
        "name": "Loopbaancoach in de Week van de Loopbaan",
        "summary": "Een gratis gesprek met een loopbaancoach. Meld je vooraf aan.",
        "description": "Wil je praten over je werk of je toekomst? In de Week van de Loopbaan kan dat.\n\n"
        "Een loopbaancoach is één middag in elke vestiging van de bibliotheek. Je praat ongeveer "
        "30 minuten met haar. Het gesprek is gratis.\n\n"
        "Er zijn maar een paar plekken. Meld je daarom vooraf aan.",
        "format": "appointments",
        "audience": "Iedereen die wil praten over werk: met of zonder baan.",
        "rhythm": "yearly",
        "minutes": 240,
        "default_capacity": 6,
        "branch": "amstelveen-stadsplein",
        "delivering": ["noloc"],
        "what_to_bring": _CV + " Schrijf je vragen op.",
    },
    {
        "library": AMS,
        "slug": "klik-en-tik-werkpleinaa",
        "name": "Klik & Tik bij WerkpleinAA",
        "summary": "Computerles bij WerkpleinAA, voor werkzoekenden die de gemeente stuurt.",
        "description": "Deze cursus is bij WerkpleinAA in Amstelveen. De bibliotheek geeft de les.\n\n"
        "Je leert de basis van de computer en internet. Bijvoorbeeld e-mailen, vacatures zoeken en "
        "een formulier invullen. Er zijn 8 lessen.\n\n"
        "De gemeente Amstelveen of Aalsmeer vraagt je om mee te doen. Je krijgt daarover een bericht "
        "van je werkconsulent.",
        "format": "course",
        "audience": "Werkzoekenden uit Amstelveen en Aalsmeer die de gemeente naar deze cursus stuurt.",
        "rhythm": "weekly",
        "number_of_meetings": 8,
        "minutes": 120,
        "default_capacity": 10,
        "accepts_referrals": True,
        "referring": ["gemeente-amstelveen", "gemeente-aalsmeer"],
        "delivering": ["gemeente-amstelveen"],
        "what_to_bring": "De brief of het bericht van de gemeente. Je leesbril, als je die hebt.",
    },
    # Bibliotheek Langedijk
    {
        "library": LGD,
        "slug": "walk-and-talk",
        "name": "Walk & Talk",
        "summary": "Elke maand: iets leren over werk zoeken en elkaar helpen.",
        "description": "Walk & Talk is een bijeenkomst voor mensen die werk zoeken. Hij is één keer per "
        "maand in de bibliotheek. Er komen ongeveer 10 tot 15 mensen.\n\n"
        "Je leert iets. Bijvoorbeeld over een netwerkgesprek of solliciteren met een video. "
        "Om de keer komt er een gastspreker.\n\n"
        "Er is ook tijd om te praten en elkaar te helpen. De sfeer is rustig en vertrouwd.",
        "format": "group_meeting",
        "audience": "Mensen die werk zoeken. Iedere leeftijd is welkom.",
        "rhythm": "monthly",
        "minutes": 120,
        "default_capacity": 15,
        "branch": "broek-op-langedijk",
        "what_to_bring": _CV,
    },
    {
        "library": LGD,
        "slug": "openleercentrum",
        "name": "Openleercentrum",
        "summary": "Op maandagavond hulp bij je cv of een sollicitatie. Je hoeft je niet aan te melden.",
        "description": "Heb je een vraag over werk zoeken? Kom dan naar het openleercentrum. Het is elke "
        "maandagavond van 19.00 tot 20.00 uur.\n\n"
        "Je hoeft je niet aan te melden. We schrijven je naam niet op.\n\n"
        "Een getrainde vrijwilliger helpt je, één op één. Bijvoorbeeld met deze vragen: Hoe maak ik "
        "mijn cv? Hoe reageer ik op deze vacature?",
        "format": "walk_in",
        "audience": "Iedereen met een vraag over werk zoeken.",
        "rhythm": "weekly",
        "minutes": 60,
        "registration_required": False,
        "branch": "broek-op-langedijk",
        "what_to_bring": "Je vraag. En je cv of de vacature, als je die hebt. Op papier of op je telefoon.",
        "materials": [
            {
                "title": "Mijn voorsprong op de rest",
                "kind": "course_material",
                "url": "https://www.mijnvoorsprong.example.org/",
            },
            {
                "title": "Zoek werk: losse lessen",
                "kind": "course_material",
                "provider": "de-levende-sollicitatiegids",
                "url": "https://www.levendesollicitatiegids.example.org/zoek-werk",
                "notes": "Alleen losse lessen bij een vraag; geen hele cursus.",
            },
        ],
    },
    {
        "library": LGD,
        "slug": "taalcafe",
        "name": "Taalcafé",
        "summary": "Praat Nederlands met anderen. Elke week, zonder aanmelden.",
        "description": "In het taalcafé oefen je Nederlands praten. Je praat in een kleine groep. "
        "Een vrijwilliger helpt.\n\n"
        "Elke week is er een ander onderwerp. Soms gaat het over werk. Dan vertelt bijvoorbeeld iemand "
        "hoe hij hier werk vond.\n\n"
        "Je hoeft je niet aan te melden. Kom gewoon langs.",
        "format": "group_meeting",
        "audience": "Mensen die Nederlands leren.",
        "language_level": "A2",
        "language_group": "NT2",
        "rhythm": "weekly",
        "minutes": 90,
        "registration_required": False,
        "branch": "noord-scharwoude",
    },
    # BiblioPlus
    {
        "library": BPL,
        "slug": "begrijp-je-taal",
        "name": "Begrijp je taal!",
        "summary": "Beter leren lezen en schrijven, in een kleine groep.",
        "description": "Is Nederlands je eerste taal? En wil je beter lezen en schrijven? Dan is "
        "Begrijp je taal! iets voor jou.\n\n"
        "Je leert in een kleine groep in de bibliotheek in Cuijk. Een docent van IBN geeft de les. "
        "Je oefent met dingen die je elke dag nodig hebt. Bijvoorbeeld een brief lezen of een "
        "formulier invullen.\n\n"
        "Je meldt je aan bij het Taalhuis. Werk je bij IBN? Dan kan IBN je ook aanmelden.",
        "format": "course",
        "audience": "Volwassenen met Nederlands als eerste taal die moeite hebben met lezen en schrijven.",
        "language_group": "NT1",
        "rhythm": "weekly",
        "number_of_meetings": 12,
        "minutes": 120,
        "default_capacity": 10,
        "accepts_referrals": True,
        "referring": ["ibn", "gemeente-cuijk", "taalhuis-cuijk"],
        "delivering": ["ibn"],
        "branch": "cuijk",
        "what_to_bring": "Een pen en een schrift. Je leesbril, als je die hebt.",
    },
    {
        "library": BPL,
        "slug": "walk-and-talk",
        "name": "Walk & Talk",
        "summary": "Twee keer per maand praten en leren over werk.",
        "description": "Walk & Talk is voor mensen die werk zoeken. Het is twee keer per maand in de "
        "bibliotheek in Cuijk.\n\n"
        "Elke keer is er een onderwerp. Daarna praat je met de andere deelnemers. Je deelt tips en "
        "ervaringen. Meedoen is gratis.",
        "format": "group_meeting",
        "audience": "Mensen die werk zoeken.",
        "rhythm": "twice_monthly",
        "minutes": 120,
        "default_capacity": 15,
        "branch": "cuijk",
        "what_to_bring": _CV,
    },
    {
        "library": BPL,
        "slug": "walk-and-talk-extra",
        "name": "Walk & Talk Extra",
        "summary": "Twee keer per jaar een avond over je loopbaan. Ook als je al werk hebt.",
        "description": "Walk & Talk Extra is een avond over je loopbaan. Het is twee keer per jaar.\n\n"
        "Heb je werk, maar wil je iets anders? Of zoek je werk? Dan ben je welkom.\n\n"
        "We praten over drie vragen. Wat kan ik goed? Wat wil ik? Hoe kom ik daar?",
        "format": "group_meeting",
        "audience": "Mensen die werk zoeken, en mensen met een baan die iets anders willen.",
        "rhythm": "twice_yearly",
        "minutes": 120,
        "default_capacity": 25,
        "branch": "boxmeer",
    },
    {
        "library": BPL,
        "slug": "persoonlijke-loopbaancoach",
        "name": "Persoonlijke loopbaancoach",
        "summary": "Een gesprek met een vrijwillige loopbaancoach. Op afspraak.",
        "description": "Wil je hulp bij werk zoeken? Een vrijwillige loopbaancoach helpt je.\n\n"
        "Samen oefen je bijvoorbeeld een sollicitatiegesprek. Of je maakt samen je cv. Je ontdekt ook "
        "wat je goed kunt.\n\n"
        "Het spreekuur duurt twee uur. Je gesprek duurt ongeveer 40 minuten. We laten je weten hoe "
        "laat je welkom bent. Het is gratis.",
        "format": "appointments",
        "audience": "Mensen die werk zoeken of ander werk willen.",
        "rhythm": "by_appointment",
        "minutes": 120,
        "default_capacity": 3,
        "branch": "boxmeer",
        "what_to_bring": _CV + " Of een vacature die je leuk vindt.",
    },
    # Bibliotheek Landgraaf-Onderbanken
    {
        "library": LGO,
        "slug": "mobiele-mini-bieb-relim",
        "name": "Mobiele mini-bieb bij Relim",
        "summary": "Eén keer per maand boeken lenen bij Relim, in de lunchpauze.",
        "description": "Werk je bij Relim? Eén keer per maand komt de bibliotheek naar je toe.\n\n"
        "In de lunchpauze staat er een kar met ongeveer 60 boeken. Er zijn makkelijke leesboeken en "
        "boeken met informatie. Je mag een boek lenen. Je hebt geen pasje van de bibliotheek nodig.\n\n"
        "Wil je een ander boek? Vraag het aan de vrijwilliger. Dan neemt zij het de volgende keer mee.",
        "format": "outreach",
        "audience": "Medewerkers van Relim.",
        "rhythm": "monthly",
        "minutes": 60,
        "registration_required": False,
        "delivering": ["relim"],
        "materials": [
            {
                "title": "Collectie Eenvoudig Communiceren",
                "kind": "other",
                "url": "https://www.eenvoudigcommuniceren.example.org/",
                "notes": "Makkelijke leesboeken. De collectie op de kar wisselt af en toe.",
            },
        ],
    },
    {
        "library": LGO,
        "slug": "leeskring-relim",
        "name": "Leeskring bij Relim",
        "summary": "Samen een boek lezen in zes weken. Aan het eind krijg je een diploma.",
        "description": "Werk je bij Relim? Doe dan mee met de leeskring. De leeskring is twee keer per jaar.\n\n"
        "We lezen samen één boek. Het boek is makkelijk om te lezen. Zes weken lang komen we één keer "
        "per week bij elkaar, een uur lang. Je leest in een vaste groep van 6 tot 8 mensen. Een "
        "vrijwilliger van de bibliotheek helpt.\n\n"
        "Aan het eind doen we iets leuks. We kijken de film van het boek. Of we doen een quiz. "
        "Je krijgt een diploma.",
        "format": "reading_circle",
        "audience": "Medewerkers van Relim die graag samen lezen.",
        "rhythm": "twice_yearly",
        "number_of_meetings": 6,
        "minutes": 60,
        "default_capacity": 8,
        "delivering": ["relim"],
        "what_to_bring": "Niets. Je krijgt het boek van ons.",
        "materials": [
            {
                "title": "Leesboeken uit de collectie Eenvoudig Communiceren",
                "kind": "course_material",
                "url": "https://www.eenvoudigcommuniceren.example.org/leesclubs",
            },
        ],
    },
]

AGREEMENTS = [
    {
        "library": WFB,
        "partner": "gemeente-drechterland",
        "programme": "zoek-werk",
        "title": "Zoek werk voor inwoners van Drechterland",
        "years": 3,
        "target_participants_per_year": 30,
        "notes": "Ongeveer 30 deelnemers per jaar, drie jaar lang. De gemeente verwijst door; meedoen is "
        "vrijwillig. Gemaakt met De Levende Sollicitatiegids.",
    },
    {
        "library": AMS,
        "partner": "gemeente-amstelveen",
        "programme": "klik-en-tik-werkpleinaa",
        "title": "Klik & Tik bij WerkpleinAA",
        "years": 1,
        "notes": "De bibliotheek geeft Klik & Tik bij WerkpleinAA, voor werkzoekenden uit Amstelveen en "
        "Aalsmeer die de gemeente stuurt.",
    },
    {
        "library": BPL,
        "partner": "ibn",
        "programme": "begrijp-je-taal",
        "title": "Lidmaatschapskorting en taaltraining voor IBN-medewerkers",
        "notes": "IBN-medewerkers krijgen korting op het lidmaatschap. Past de training van IBN niet, dan "
        "verwijst IBN door; een collega van de bibliotheek houdt de intake bij IBN.",
    },
    {
        "library": LGO,
        "partner": "relim",
        "programme": "mobiele-mini-bieb-relim",
        "title": "Mobiele mini-bieb en leeskring bij Relim",
        "starts_on": (2012, 1, 1),
        "notes": "Sinds 2012. Medewerkers van Relim lenen zonder lidmaatschap; twee keer per jaar een leeskring.",
    },
]

WORKERS = [
    # Westfriese Bibliotheken
    {
        "library": WFB,
        "name": "Sanne Kooistra",
        "kind": "staff",
        "email": "sanne.kooistra@westfriesebibliotheken.example.org",
        "topics": "Programmamaker werk en inkomen. Leidt Werk aan je toekomst en Walk & Talk Online.",
    },
    {
        "library": WFB,
        "name": "Marloes Bakker",
        "kind": "staff",
        "email": "marloes.bakker@westfriesebibliotheken.example.org",
        "topics": "Heeft ervaring als docent volwasseneneducatie. Leidt Zoek werk, nuchter en persoonlijk.",
        "availability": "Dinsdag en donderdag.",
    },
    {
        "library": WFB,
        "name": "Gerard Mol",
        "kind": "volunteer",
        "phone": "+31612345601",
        "topics": "Digitale vaardigheden. Begeleidt Klik & Tik.",
        "availability": "Woensdagochtend.",
    },
    {
        "library": WFB,
        "name": "Erik Zwaan",
        "kind": "speaker",
        "email": "erik.zwaan@example.org",
        "topics": "Een dappere carrièreswitch: van bankmedewerker naar timmerman, op zijn 48ste.",
    },
    {
        "library": WFB,
        "name": "Yvonne de Graaf",
        "kind": "speaker",
        "organisation": "gemeente-drechterland",
        "email": "yvonne.degraaf@drechterland.example.org",
        "topics": "Spreker van het werkloket: vacatures in de regio en hulp bij werk zoeken.",
    },
    {
        "library": WFB,
        "name": "Ahmed El Amrani",
        "kind": "speaker",
        "phone": "+31612345602",
        "topics": "Oud-deelnemer van Werk aan je toekomst. Vond werk in de bouw en vertelt zijn verhaal.",
    },
    # Bibliotheek Amstelland
    {
        "library": AMS,
        "name": "Lotte Hendriks",
        "kind": "staff",
        "email": "lotte.hendriks@bibliotheekamstelland.example.org",
        "topics": "Programmeur. Host van Walk & Talk en de JobOn meet-up.",
    },
    {
        "library": AMS,
        "name": "Bas Jansen",
        "kind": "staff",
        "email": "bas.jansen@bibliotheekamstelland.example.org",
        "topics": "Trainer digitale vaardigheden. Geeft Klik & Tik bij WerkpleinAA.",
    },
    {
        "library": AMS,
        "name": "Ingrid Smit",
        "kind": "coach",
        "organisation": "noloc",
        "email": "ingrid.smit@example.org",
        "topics": "Loopbaancoach (lid van Noloc). Coachgesprekken in de Week van de Loopbaan; helpt bij Walk & Talk.",
        "availability": "Eén middag per vestiging in de Week van de Loopbaan.",
    },
    {
        "library": AMS,
        "name": "Kees Verhoef",
        "kind": "speaker",
        "organisation": "gemeente-amstelveen",
        "email": "kees.verhoef@amstelveen.example.org",
        "topics": "Werkcoach bij WerkpleinAA. Vertelt wat het werkplein voor werkzoekenden doet.",
    },
    # Bibliotheek Langedijk
    {
        "library": LGD,
        "name": "Wendy Dekker",
        "kind": "staff",
        "email": "wendy.dekker@bibliotheeklangedijk.example.org",
        "topics": "Coördinator volwassenen. Houdt zelf de Walk & Talk-bijeenkomsten.",
    },
    {
        "library": LGD,
        "name": "Joke Visser",
        "kind": "volunteer",
        "phone": "+31612345603",
        "topics": "Getrainde taalvrijwilliger in het openleercentrum: cv, brief, vacatures.",
        "availability": "Maandagavond, om de week.",
    },
    {
        "library": LGD,
        "name": "Rob Meijer",
        "kind": "volunteer",
        "phone": "+31612345604",
        "topics": "Getrainde vrijwilliger in het openleercentrum: solliciteren en online formulieren.",
        "availability": "Maandagavond, om de week.",
    },
    {
        "library": LGD,
        "name": "Anneke Brouwer",
        "kind": "volunteer",
        "phone": "+31612345605",
        "topics": "Gastvrouw van het taalcafé.",
    },
    {
        "library": LGD,
        "name": "Hans Kramer",
        "kind": "speaker",
        "email": "hans.kramer@example.org",
        "topics": "Netwerkgesprekken: hoe vraag je iemand om advies? Ook voor 60-plussers.",
    },
    {
        "library": LGD,
        "name": "Peter Schouten",
        "kind": "speaker",
        "email": "peter.schouten@example.org",
        "topics": "Recruiter. Over solliciteren met een video.",
    },
    {
        "library": LGD,
        "name": "Samir Haddad",
        "kind": "speaker",
        "phone": "+31612345606",
        "topics": "Kwam uit Syrië en vond werk als monteur. Vertelt in het taalcafé hoe hij dat deed.",
    },
    # BiblioPlus
    {
        "library": BPL,
        "name": "Mirjam van den Heuvel",
        "kind": "staff",
        "email": "mirjam.vandenheuvel@biblioplus.example.org",
        "topics": "Leven lang leren. Host van Walk & Talk; houdt de intakes bij IBN.",
    },
    {
        "library": BPL,
        "name": "Ronald Verstegen",
        "kind": "teacher",
        "organisation": "ibn",
        "email": "ronald.verstegen@ibn.example.org",
        "topics": "Docent NT1 bij IBN. Geeft Begrijp je taal!",
    },
    {
        "library": BPL,
        "name": "Theo Hermens",
        "kind": "coach",
        "phone": "+31612345607",
        "topics": "Vrijwillige loopbaancoach: sollicitatiegesprek oefenen, cv maken, competenties ontdekken.",
        "availability": "Vrijdagochtend, om de week.",
    },
    {
        "library": BPL,
        "name": "Marian Peters",
        "kind": "volunteer",
        "phone": "+31612345608",
        "topics": "Taalvrijwilliger. Helpt bij Begrijp je taal! en geeft een-op-een-begeleiding.",
    },
    # Bibliotheek Landgraaf-Onderbanken
    {
        "library": LGO,
        "name": "Roel Custers",
        "kind": "staff",
        "email": "roel.custers@bibliotheeklandgraaf.example.org",
        "topics": "Coördinator basisvaardigheden. Contact met Relim.",
    },
    {
        "library": LGO,
        "name": "Truus Schmetz",
        "kind": "volunteer",
        "phone": "+31612345609",
        "topics": "Brengt de mobiele mini-bieb naar Relim en neemt gevraagde boeken mee.",
        "availability": "Eén keer per maand, tussen de middag.",
    },
    {
        "library": LGO,
        "name": "Mia Houben",
        "kind": "volunteer",
        "phone": "+31612345610",
        "topics": "Oud-docent van ROC Vista. Begeleidt de leeskring bij Relim.",
    },
]


def _p(name, phone="", email="", channel="", via="online", language="nl", desk=False):
    return {"name": name, "phone": phone, "email": email, "preferred_channel": channel, "via": via,
            "language": language, "registered_at_desk": desk}  # fmt: skip


# via: how the person first came in (the consent method, and the source of their registrations).
PARTICIPANTS = {
    WFB: [
        _p("Kevin de Boer", "+31612345001", channel="whatsapp", via="referral"),
        _p("Fatma Yilmaz", "+31612345002", channel="whatsapp", via="referral"),
        _p("Jan Koster", "+31612345003", channel="call", via="referral"),
        _p("Priya Ramdin", "+31612345004", channel="sms", via="referral"),
        _p("Dennis Kaag", "+31612345005", channel="whatsapp", via="referral"),
        _p("Nicole Appelman", "+31612345006", channel="sms", via="referral"),
        _p("Mohamed Bouzid", "+31612345007", channel="whatsapp", via="referral"),
        _p("Anja Vlaar", email="anja.vlaar@example.org", channel="email"),
        _p("Ruud Stam", "+31612345009", channel="call", via="phone"),
        _p("Sylvia Laan", "+31612345010", channel="whatsapp"),
        _p("Cor Sijm", "+31612345011", channel="call", via="desk"),
        _p("Els Ruiter", "+31612345012", channel="sms", via="desk"),
        _p("Jasper Tesselaar", email="jasper.tesselaar@example.org", channel="email"),
        _p("Gülsen Kaya", "+31612345014", channel="whatsapp"),
    ],
    AMS: [
        _p("Sevda Aydin", "+31612345101", channel="whatsapp", via="referral"),
        _p("Hamid Azizi", "+31612345102", channel="whatsapp", via="referral", language="en"),
        _p("Wilma Kroon", "+31612345103", channel="call", via="referral"),
        _p("Ricardo Martis", "+31612345104", channel="sms", via="referral"),
        _p("Joyce van Leeuwen", email="joyce.vanleeuwen@example.org", channel="email"),
        _p("Marco Vermeulen", "+31612345106", channel="whatsapp"),
        _p("Anouk Verbeek", "+31612345107", "anouk.verbeek@example.org", channel="email"),
        _p("Hans Dijkstra", "+31612345108", channel="call", via="phone"),
        _p("Naima Benali", "+31612345109", channel="whatsapp"),
        _p("Pieter Kuiper", "+31612345110", channel="sms"),
        _p("Esther Hoekstra", email="esther.hoekstra@example.org", channel="email"),
        _p("Rachid Amrani", "+31612345112", channel="whatsapp", via="desk"),
        _p("Gerda Postma", "+31612345113", channel="call", via="desk"),
        _p("Stefan Wolters", "+31612345114", "stefan.wolters@example.org", channel="whatsapp"),
    ],
    LGD: [
        _p("Henk Zijp", "+31612345201", channel="call", via="desk"),
        _p("Trudy Kaptein", "+31612345202", channel="sms", via="phone"),
        _p("Klaas Ooms", "+31612345203", channel="call", via="phone"),
        _p("Margreet Blokker", email="margreet.blokker@example.org", channel="email"),
        _p("Frans Min", "+31612345205", channel="whatsapp"),
        _p("Ans Beemsterboer", "+31612345206", channel="sms", via="desk"),
        _p("Wim Tiemens", "+31612345207", channel="call", via="phone"),
        _p("Loes Rood", email="loes.rood@example.org", channel="email"),
    ],
    BPL: [
        _p("Gerrit van Dijk", "+31612345301", channel="call", via="referral"),
        _p("Marieke Arts", "+31612345302", channel="sms", via="referral"),
        _p("Sjaak Verhoeven", "+31612345303", channel="call", via="referral"),
        _p("Debora Kuijpers", "+31612345304", channel="whatsapp", via="referral"),
        _p("Thijs van Bakel", "+31612345305", channel="whatsapp"),
        _p("Lieke Coenen", email="lieke.coenen@example.org", channel="email"),
        _p("Ahmet Demir", "+31612345307", channel="whatsapp"),
        _p("Ria van Haren", "+31612345308", channel="call", via="phone"),
        _p("Piet van Kempen", via="desk", desk=True),
        _p("Sanne Derks", "+31612345310", "sanne.derks@example.org", channel="email"),
        _p("Noor Claassen", "+31612345311", channel="whatsapp"),
        _p("Wesley Jacobs", "+31612345312", channel="sms", via="desk"),
    ],
    LGO: [
        _p("Ramon Schepers", "+31612345401", channel="call", via="desk"),
        _p("Bianca Dautzenberg", "+31612345402", channel="sms", via="desk"),
        _p("Roy Bemelmans", "+31612345403", channel="call", via="desk"),
        _p("Chantal Lardinois", "+31612345404", channel="whatsapp", via="desk"),
        _p("Math Kleijnen", "+31612345405", channel="call", via="desk"),
        _p("Yvette Vliegen", "+31612345406", channel="sms", via="desk"),
        _p("Danny Hamers", "+31612345407", channel="call", via="desk"),
    ],
}

CONSENT_CONTACT_TEXT = (
    "De bibliotheek mag mij bellen of een bericht sturen over de activiteit waarvoor ik mij aanmeld. "
    "Bijvoorbeeld als er iets verandert. Ik kan dit altijd stoppen."
)
CONSENT_REFERRAL_TEXT = (
    "{partner} mag mijn naam en telefoonnummer aan de bibliotheek geven. De bibliotheek mag mij bellen "
    "of een bericht sturen over {programme}. Ik kan dit altijd stoppen."
)
CONSENT_REPORT_TEXT = (
    "De bibliotheek mag aan {partner} vertellen of ik naar {programme} kom. Meer niet. "
    "Ik kan dit altijd stoppen."
)

# Intake: (anchor, (hour, minute), place).
REFERRALS = [
    # Drechterland -> Zoek werk: voluntary, a founding principle.
    *[
        {
            "library": WFB,
            "partner": "gemeente-drechterland",
            "referrer": "Linda Groot",
            "participant": name,
            "programme": "zoek-werk",
            "kind": "voluntary",
            "status": "active",
            "report": True,
            "days_ago": days,
            "note": note,
        }
        for name, days, note in [
            ("Kevin de Boer", 40, "Wil graag in de groenvoorziening werken."),
            ("Fatma Yilmaz", 38, "Spreekt een beetje Nederlands. Heeft geen computer thuis."),
            ("Jan Koster", 35, "Kan niet op vrijdag."),
            ("Priya Ramdin", 33, "Zoekt werk in de zorg of de schoonmaak."),
        ]
    ],
    {
        "library": WFB,
        "partner": "gemeente-drechterland",
        "referrer": "Linda Groot",
        "participant": "Dennis Kaag",
        "programme": "zoek-werk",
        "kind": "voluntary",
        "status": "stopped",
        "report": True,
        "days_ago": 36,
        "stop_reason": "Heeft werk gevonden bij een tuinbouwbedrijf.",
    },
    {
        "library": WFB,
        "partner": "gemeente-drechterland",
        "referrer": "Bart Kuijpers",
        "participant": "Nicole Appelman",
        "programme": "zoek-werk",
        "kind": "voluntary",
        "status": "received",
        "days_ago": 2,
        "note": "Bel haar liever na 10 uur.",
    },
    {
        "library": WFB,
        "partner": "gemeente-drechterland",
        "referrer": "Linda Groot",
        "participant": "Mohamed Bouzid",
        "programme": "zoek-werk",
        "kind": "voluntary",
        "status": "intake_planned",
        "days_ago": 6,
        "intake": (("weekday", TUE, 0), (11, 45), "Bibliotheek Hoogkarspel, na de les"),
        "note": "Wil eerst kennismaken voordat hij beslist.",
    },
    # WerkpleinAA -> Klik & Tik: an instruction of the municipality.
    *[
        {
            "library": AMS,
            "partner": "gemeente-amstelveen",
            "referrer": "Sandra de Wit",
            "participant": name,
            "programme": "klik-en-tik-werkpleinaa",
            "kind": "mandatory",
            "status": "enrolled",
            "report": True,
            "days_ago": days,
            "note": note,
        }
        for name, days, note in [
            ("Sevda Aydin", 14, ""),
            ("Hamid Azizi", 12, "Spreekt liever Engels."),
            ("Wilma Kroon", 9, "Woont in Aalsmeer."),
        ]
    ],
    {
        "library": AMS,
        "partner": "gemeente-amstelveen",
        "referrer": "Jeroen Kok",
        "participant": "Ricardo Martis",
        "programme": "klik-en-tik-werkpleinaa",
        "kind": "mandatory",
        "status": "received",
        "days_ago": 1,
    },
    # IBN and the municipality of Cuijk -> Begrijp je taal!
    {
        "library": BPL,
        "partner": "ibn",
        "referrer": "Petra Janssen",
        "participant": "Gerrit van Dijk",
        "programme": "begrijp-je-taal",
        "kind": "voluntary",
        "status": "intake_planned",
        "days_ago": 5,
        "intake": (("weekday", THU, 0), (13, 30), "IBN Cuijk, Industrieweg 20 (spreekkamer 3)"),
        "note": "De training bij IBN past niet bij zijn werktijden.",
    },
    {
        "library": BPL,
        "partner": "ibn",
        "referrer": "Petra Janssen",
        "participant": "Marieke Arts",
        "programme": "begrijp-je-taal",
        "kind": "voluntary",
        "status": "enrolled",
        "report": True,
        "days_ago": 20,
        "note": "Volgde twee jaar de training bij IBN en wil verder.",
    },
    {
        "library": BPL,
        "partner": "ibn",
        "referrer": "Petra Janssen",
        "participant": "Sjaak Verhoeven",
        "programme": "begrijp-je-taal",
        "kind": "voluntary",
        "status": "enrolled",
        "days_ago": 18,
        "note": "Volgt de training liever niet bij IBN zelf.",
    },
    {
        "library": BPL,
        "partner": "gemeente-cuijk",
        "referrer": "Anja Willems",
        "participant": "Debora Kuijpers",
        "programme": "begrijp-je-taal",
        "kind": "voluntary",
        "status": "received",
        "days_ago": 3,
    },
]

_W = "https://meet.example.org"

# Meetings per programme; several entries for one programme add up. Keys, besides anchor and time:
# minutes, rhythm, count, capacity (default: the programme's), branch / site / online (the place;
# default: the programme's branch), topics (cycled), roles (every meeting), rotating (one per meeting,
# in turn), speakers ({meeting index: name}), opens_month_before, past (registrations per past meeting),
# upcoming (registrations per coming meeting, in order), full (fill the first coming meeting and put
# this many on the waiting list), include ({coming index: names}), enrol (course run sign-ups),
# cancel ((coming index, reason)), moved_online ((coming index, link)), help (what people ask for).
SCHEDULES = [
    {
        "programme": (WFB, "werk-aan-je-toekomst"),
        "anchor": ("weekday", THU, -4),
        "at": (10, 0),
        "count": 5,
        "topics": [
            "Je pitch",
            "Een dappere carrièreswitch",
            "Het grote sollicitatiegesprek",
            "Hoe werkt het werkloket?",
            "Je netwerk gebruiken",
        ],
        "roles": [("Sanne Kooistra", "host")],
        "speakers": {1: "Erik Zwaan", 3: "Yvonne de Graaf"},
        "past": 7,
        "upcoming": [6, 3],
    },
    {
        "programme": (WFB, "walk-and-talk-online"),
        "anchor": ("weekday", TUE, 1),
        "at": (10, 0),
        "count": 3,
        "online": f"{_W}/westfriese-walk-and-talk-online",
        "topics": ["Je cv verbeteren", "Video-sollicitatie", "Het kwaliteitenspel"],
        "roles": [("Sanne Kooistra", "host")],
        "upcoming": [4, 2],
    },
    {
        "programme": (WFB, "zoek-werk"),
        "anchor": ("weekday", TUE, -3),
        "at": (9, 30),
        "topics": [
            "Kennismaken",
            "Wat kan ik goed?",
            "Vacatures lezen",
            "Je cv maken",
            "Een korte brief of mail",
            "Bellen met een werkgever",
            "Het sollicitatiegesprek",
            "Oefenen: het gesprek",
            "Een oud-deelnemer vertelt",
            "Afsluiting: hoe ga je verder?",
        ],
        "roles": [("Marloes Bakker", "host")],
        "speakers": {8: "Ahmed El Amrani"},
        "enrol": ["Kevin de Boer", "Fatma Yilmaz", "Jan Koster", "Priya Ramdin", "Dennis Kaag"],
    },
    {
        "programme": (WFB, "klik-en-tik"),
        "anchor": ("weekday", WED, 1),
        "at": (10, 0),
        "topics": [
            "De muis en het toetsenbord",
            "Bestanden en mappen",
            "Het internet op",
            "Veilig online",
            "E-mail lezen en sturen",
            "Een formulier invullen",
            "Vacatures zoeken",
            "Afsluiting",
        ],
        "roles": [("Gerard Mol", "host")],
        "enrol": ["Cor Sijm", "Els Ruiter", "Ruud Stam", "Sylvia Laan"],
    },
    {
        "programme": (AMS, "walk-and-talk"),
        "anchor": ("month", TUE, 2, -1),
        "at": (14, 0),
        "count": 5,
        "topics": [
            "Het grote sollicitatiegesprek",
            "Het kwaliteitenspel",
            "Wat doet WerkpleinAA voor jou?",
            "Netwerken: hoe doe je dat?",
            "Je sterke punten laten zien",
        ],
        "roles": [("Lotte Hendriks", "host"), ("Ingrid Smit", "coach")],
        "speakers": {2: "Kees Verhoef"},
        "past": 9,
        "upcoming": [7, 3],
    },
    {
        "programme": (AMS, "jobon-meet-up"),
        "anchor": ("month", THU, 3, -1),
        "at": (10, 0),
        "count": 5,
        "topics": [
            "Je pitch",
            "Je cv verbeteren",
            "Solliciteren met LinkedIn",
            "Je pitch",
            "Je cv verbeteren",
        ],
        "roles": [("Lotte Hendriks", "host")],
        "past": 6,
        "upcoming": [5, 2],
    },
    *[
        {
            "programme": (AMS, "loopbaancoach-week-van-de-loopbaan"),
            "anchor": ("week_van_de_loopbaan", day, when),
            "at": (13, 0),
            "rhythm": "yearly",
            "count": 1,
            "branch": branch,
            "opens_month_before": True,
            "topics": ["Week van de Loopbaan: gesprek met de loopbaancoach"],
            "roles": [("Ingrid Smit", "coach")],
            "past": past if when == "past" else 0,
            "help": [
                "Ik wil iets anders, maar weet niet wat.",
                "Hoe vind ik werk na mijn vijftigste?",
                "Past mijn cv bij wat ik wil?",
            ],
        }
        for when in ("past", "next")
        for day, branch, past in [(0, "amstelveen-stadsplein", 6), (1, "aalsmeer", 4), (2, "ouderkerk", 3)]
    ],
    {
        "programme": (AMS, "klik-en-tik-werkpleinaa"),
        "anchor": ("weekday", MON, 0),
        "at": (9, 30),
        "site": ("gemeente-amstelveen", "WerkpleinAA"),
        "topics": [
            "De computer en de muis",
            "Typen en het toetsenbord",
            "Het internet op",
            "E-mail",
            "Inloggen met DigiD",
            "Vacatures zoeken",
            "Een formulier invullen",
            "Afsluiting",
        ],
        "roles": [("Bas Jansen", "teacher")],
        "enrol": ["Sevda Aydin", "Hamid Azizi", "Wilma Kroon"],
    },
    {
        "programme": (LGD, "walk-and-talk"),
        "anchor": ("month", WED, 1, -1),
        "at": (10, 0),
        "count": 5,
        "topics": [
            "Netwerkgesprek",
            "Onder elkaar: wat lukt er al?",
            "Video-sollicitatie",
            "Onder elkaar: elkaar helpen met vacatures",
            "Werken na je zestigste",
        ],
        "roles": [("Wendy Dekker", "host")],
        "speakers": {0: "Hans Kramer", 2: "Peter Schouten", 4: "Hans Kramer"},
        "past": 7,
        "upcoming": [6, 4],
        "moved_online": (1, f"{_W}/langedijk-walk-and-talk"),
    },
    {
        "programme": (LGD, "openleercentrum"),
        "anchor": ("weekday", MON, 0),
        "at": (19, 0),
        "count": 12,
        "topics": ["Hulp bij je cv en solliciteren"],
        "rotating": [("Joke Visser", "volunteer"), ("Rob Meijer", "volunteer")],
    },
    {
        "programme": (LGD, "taalcafe"),
        "anchor": ("weekday", THU, 0),
        "at": (14, 0),
        "count": 12,
        "topics": [
            "Kennismaken",
            "Boodschappen doen",
            "Werk zoeken in Nederland",
            "Naar de dokter",
            "Feestdagen in Nederland",
            "Het weer en de seizoenen",
        ],
        "roles": [("Anneke Brouwer", "host")],
        "speakers": {2: "Samir Haddad"},
    },
    {
        "programme": (BPL, "begrijp-je-taal"),
        "anchor": ("weekday", THU, 1),
        "at": (13, 0),
        "topics": [
            "Kennismaken: wat wil je leren?",
            "Een brief van de gemeente lezen",
            "Een formulier invullen",
            "Een bericht aan je baas schrijven",
            "Lezen: de krant",
            "Een werkrooster lezen",
            "Een recept lezen en boodschappen doen",
            "Een loonstrook lezen",
            "Een e-mail schrijven",
            "Lezen: een makkelijk boek",
            "Woorden op het werk",
            "Afsluiting: wat kun je nu?",
        ],
        "roles": [("Ronald Verstegen", "teacher"), ("Marian Peters", "volunteer")],
        "enrol": ["Marieke Arts", "Sjaak Verhoeven", "Wesley Jacobs", "Ria van Haren", "Piet van Kempen"],
    },
    {
        "programme": (BPL, "walk-and-talk"),
        "anchor": ("weekday", TUE, -2),
        "at": (10, 0),
        "count": 7,
        "topics": [
            "Je cv verbeteren",
            "Je pitch",
            "Het kwaliteitenspel",
            "Netwerkgesprek",
            "Video-sollicitatie",
            "Het grote sollicitatiegesprek",
            "Vacatures zoeken met JobOn",
        ],
        "roles": [("Mirjam van den Heuvel", "host")],
        "past": 5,
        "upcoming": [5, 4, 3],
        "include": {0: ["Piet van Kempen"]},
        "cancel": (2, "De spreker is ziek. We sturen je een bericht over de volgende keer."),
    },
    {
        "programme": (BPL, "walk-and-talk-extra"),
        "anchor": ("month", THU, 4, 2),
        "at": (19, 0),
        "count": 2,
        "topics": ["Wat wil ik echt? Werken aan je loopbaan", "Ander werk vinden naast je baan"],
        "roles": [("Mirjam van den Heuvel", "host"), ("Theo Hermens", "coach")],
        "upcoming": [4],
    },
    {
        "programme": (BPL, "persoonlijke-loopbaancoach"),
        "anchor": ("weekday", FRI, 0),
        "at": (10, 0),
        "rhythm": "twice_monthly",
        "count": 6,
        "topics": ["Spreekuur van de loopbaancoach"],
        "roles": [("Theo Hermens", "coach")],
        "full": 1,
        "upcoming": [0, 2, 1],
        "help": ["Oefenen voor een sollicitatiegesprek.", "Mijn cv maken.", "Ontdekken wat ik goed kan."],
    },
    {
        "programme": (LGO, "mobiele-mini-bieb-relim"),
        "anchor": ("month", WED, 2, -1),
        "at": (12, 0),
        "count": 4,
        "site": ("relim", "Leerwerkplaats Heerlen"),
        "topics": ["Boeken lenen in de lunchpauze"],
        "roles": [("Truus Schmetz", "volunteer")],
    },
    {
        "programme": (LGO, "leeskring-relim"),
        "anchor": ("weekday", WED, 5),
        "at": (13, 30),
        "rhythm": "weekly",
        "site": ("relim", "Leerwerkplaats Heerlen"),
        "topics": [
            "We beginnen aan het boek",
            "Samen lezen",
            "Samen lezen",
            "Samen lezen",
            "Het einde van het boek",
            "Afsluiting: film, quiz en diploma",
        ],
        "roles": [("Mia Houben", "host")],
        "enrol": [
            "Ramon Schepers",
            "Bianca Dautzenberg",
            "Roy Bemelmans",
            "Chantal Lardinois",
            "Math Kleijnen",
            "Yvette Vliegen",
            "Danny Hamers",
        ],
    },
]

MOVED_ONLINE_NOTE = "Deze keer online. Meld je aan, dan krijg je de link."
HOLIDAY_REASON = "Gesloten: het is {holiday}."
