"""Words for generated data: Dutch places, names and texts. All people and addresses are fictional."""

TOWNS = """Alkmaar Almere Amersfoort Apeldoorn Arnhem Assen Baarn Barneveld Bergen Best Beverwijk Bodegraven
Borne Boxtel Breda Brunssum Bussum Capelle Culemborg Delft Delfzijl Deventer Diemen Doetinchem Dordrecht
Drachten Dronten Druten Edam Ede Eindhoven Elburg Emmen Enschede Epe Ermelo Etten-Leur Franeker Geldrop
Gemert Goes Gorinchem Gouda Groningen Haarlem Hardenberg Harderwijk Harlingen Heemskerk Heerenveen
Heerhugowaard Heerlen Helmond Hengelo Heusden Hilversum Hoogeveen Hoorn Houten Huizen Hulst IJsselstein
Kampen Katwijk Kerkrade Leeuwarden Leiden Lelystad Lochem Maarssen Maassluis Maastricht Meppel
Middelburg Nijkerk Nijmegen Noordwijk Oldenzaal Oosterhout Oss Oudewater Purmerend Putten Raalte
Rheden Rhenen Ridderkerk Roermond Roosendaal Schagen Schiedam Sittard Sneek Soest Steenwijk Terneuzen
Tiel Tilburg Uden Uithoorn Urk Utrecht Vaals Valkenswaard Veendam Veenendaal Veghel Velsen Venlo Venray
Vlaardingen Vlissingen Voorschoten Waalwijk Wageningen Weert Winschoten Winterswijk Woerden Zaandam
Zandvoort Zeist Zevenaar Zierikzee Zoetermeer Zutphen Zwijndrecht Zwolle Aalten Beuningen Bunschoten
Coevorden Dalfsen Dongen Duiven Emmeloord Enkhuizen Gennep Goirle Haaksbergen Heemstede Heiloo
Hellendoorn Hoogezand Kaatsheuvel Langedijk Leusden Losser Medemblik Montfoort Nunspeet Ommen Oirschot
Papendrecht Rijssen Rozenburg Schijndel Sliedrecht Stadskanaal Tubbergen Twenterand Vaassen Vianen
Waddinxveen Wassenaar Wijchen Wolvega Zuidhorn""".split()

DISTRICTS = ["Centrum", "Noord", "Oost", "Zuid", "West", "De Vaart", "Het Kwartier", "Stationsplein",
             "Bloemenbuurt", "De Hoven", "Molenwijk", "Kerkebuurt", "Oude Haven", "Park", "Westerhout"]  # fmt: skip

STREETS = ["Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Markt", "Schoolstraat", "Julianalaan",
           "Wilhelminastraat", "Beatrixlaan", "Raadhuisplein", "Kastanjelaan", "Nieuwstraat", "Parklaan",
           "Voorstraat", "Havenkade", "Brinkweg", "Lindelaan", "Burgemeester de Boerstraat", "Emmaplein"]  # fmt: skip

FIRST_NAMES = """Anna Bram Chantal Daan Emma Fatima Gert Hanna Ibrahim Jan Johan Karin Lars Lotte Mohammed
Mila Noah Olga Pieter Rachida Sanne Sem Tim Wendy Yusuf Zeynep Aisha Bas Carla Dennis Eva Finn Gerda
Henk Iris Joost Kees Linda Mustafa Nadia Ole Petra Quinten Rob Samira Tamara Ursula Vincent Willem
Yasmin Ahmed Bianca Cor Dewi Erik Femke Gijs Hatice Ilse Jorien Khalid Marloes Nina Omar Priya Ruud
Saskia Thijs Vera Wouter Yara Agnieszka Dariusz Tomasz Oksana Ali Mehmet Sevda Kofi Abena Nuno Ana""".split()

LAST_NAMES = """de Jong Jansen de Vries van den Berg van Dijk Bakker Janssen Visser Smit Meijer de Boer Mulder
de Groot Bos Vos Peters Hendriks van Leeuwen Dekker Brouwer de Wit Dijkstra Smits de Graaf van der Meer
van der Linden Kok Jacobs de Haan Vermeulen van den Heuvel van der Veen van den Broek de Bruijn
de Bruin van der Heijden Schouten van Beek Willems van Vliet van de Ven Hoekstra Maas Verhoeven Koster
van Dam van der Wal Prins Blom Huisman Peeters el Amrani Yilmaz Kaya Demir Bouzid Nowak Kowalski
Haddad Mensah Pereira Şahin Öztürk Rahimi""".split()
# Two-word surnames were split above; glue the particles back on.
_PARTICLES = {"de", "van", "den", "der", "el"}


def _join_particles(words):
    names, current = [], []
    for word in words:
        current.append(word)
        if word not in _PARTICLES:
            names.append(" ".join(current))
            current = []
    return names


LAST_NAMES = _join_particles(LAST_NAMES)

SESSION_TOPICS = ["Je pitch", "Een dappere carrièreswitch", "Het sollicitatiegesprek", "Je netwerk gebruiken",
                  "Je cv in één middag", "LinkedIn voor beginners", "Solliciteren na je vijftigste",
                  "Werken met een beperking", "Vrijwilligerswerk als opstap", "Omscholen: wat kan er?",
                  "Je sterke punten", "Omgaan met afwijzing", "Werk zoeken op internet", ""]  # fmt: skip

HELP_WANTED = ["", "", "", "Mijn cv", "Een brief schrijven", "Solliciteren op internet", "Mijn LinkedIn",
               "Een gesprek oefenen", "Ik weet nog niet wat ik wil", "Werk in de zorg"]  # fmt: skip

CANCEL_REASONS = ["De begeleider is ziek.", "Er zijn te weinig aanmeldingen.", "De zaal is niet beschikbaar.",
                  "Door het weer gaat het niet door."]  # fmt: skip

STOP_REASONS = ["Heeft werk gevonden.", "Verhuisd.", "Past niet bij wat de deelnemer nodig heeft.",
                "Gezondheid.", "Gestart met een opleiding."]  # fmt: skip

REFERRAL_NOTES = ["", "", "Wil graag werken in de logistiek.", "Spreekt goed Engels.",
                  "Heeft moeite met de computer.", "Zoekt parttime werk.", "Kan alleen 's ochtends."]  # fmt: skip

HOLIDAYS = {(12, 25): "Eerste Kerstdag", (12, 26): "Tweede Kerstdag", (1, 1): "Nieuwjaarsdag",
            (4, 27): "Koningsdag"}  # fmt: skip
HOLIDAY_REASON = "De bibliotheek is dicht op {holiday}."

OPENING_HOURS = (
    "Maandag 13.00 - 17.00 uur\nDinsdag tot en met vrijdag 10.00 - 18.00 uur\nZaterdag 10.00 - 14.00 uur"
)
DIRECTIONS = ["De ingang is aan de voorkant. Er is een lift.", "Vijf minuten lopen van het station.",
              "Fietsen kun je naast de deur zetten.", "De zaal is op de eerste verdieping.", ""]  # fmt: skip

# Partners that work with libraries across the country (besides each library's own municipality).
NATIONAL_PARTNERS = [
    ("JobOn", "coaching_network"),
    ("GoodHabit", "e_learning"),
    ("Noloc", "coaching_network"),
    ("De Levende Sollicitatiegids", "training_provider"),
    ("IBN", "sheltered_employment"),
    ("Relim", "work_learning"),
    ("Stichting Lezen & Schrijven", "literacy_alliance"),
    ("ROC Nederland", "education"),
]
CONTACT_ROLES = ["Klantmanager", "Werkcoach", "Consulent werk en inkomen", "Jobcoach", "Coördinator"]

CONSENT_CONTACT = (
    "De bibliotheek mag mij bellen of een bericht sturen over de activiteit waarvoor ik mij aanmeld. "
    "Bijvoorbeeld als er iets verandert. Ik kan dit altijd stoppen."
)
CONSENT_REPORT = "De bibliotheek mag {partner} laten weten of ik bij {programme} ben geweest."
