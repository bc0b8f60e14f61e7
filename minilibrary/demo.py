"""Demo rows: Bibliotheek Landgraaf-Onderbanken's mini-bieb cart for Relim (called by load_demo_data).

About 75 books (60 on the cart), monthly visits on the second Wednesday of the last six months with
loans, returns and requests, and the next visit planned with open requests, so that its packing list
shows requested books right after `make run`. The titles and authors are made up.

Loaded once: when the cart exists, nothing is added (also not on a later day).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from partners.models import PartnerSite
from people.models import Worker
from portal.staff_groups import HOST
from programmes import demo_data as core
from programmes.models import Library, LibraryMembership
from sessions.models import Session

from .models import Book, Cart, Loan, Request, Visit
from .services import loans_anonymise_expired

CART_NAME = "Mini-bieb Relim"
VOLUNTEER = "Truus Schmetz"
VOLUNTEER_LOGIN = ("vrijwilliger.landgraaf", "vrijwilliger@landgraaf.example", ("Demo", "Mini-bieb"))
VOLUNTEER_PERMISSIONS = [
    "view_cart",
    "view_book",
    "change_book",
    "view_visit",
    "view_loan",
    "add_loan",
    "change_loan",
    "view_request",
    "add_request",
    "change_request",
]

EASY, STUDY, INFO, OTHER = Book.Kind.EASY_READING, Book.Kind.STUDY, Book.Kind.INFORMATION, Book.Kind.OTHER
# (title, author, kind, easy reading)
BOOKS = [
    ("Mijn eerste werkdag", "Anja Vroemen", EASY, True),
    ("De bus van half acht", "Harrie Lemmens", EASY, True),
    ("Zomer in Zuid-Limburg", "Marij Pelzer", EASY, True),
    ("Het geheim van de mijn", "Jo Crombach", EASY, True),
    ("Thuis bij oma", "Ellen Dassen", EASY, True),
    ("Een dag op de markt", "Karim Bouzid", EASY, True),
    ("De brief", "Petra Hoogland", EASY, True),
    ("Koken met Fatima", "Fatima el Idrissi", EASY, True),
    ("Voetbal in de wijk", "Ruud Smeets", EASY, True),
    ("Het verloren fietsje", "Ingrid Wolfs", EASY, True),
    ("Samen sterk", "Bert Hendriks", EASY, True),
    ("Een hond voor Tom", "Lies Coenen", EASY, True),
    ("De storm", "Wiel Schoenmakers", EASY, True),
    ("Weer naar school", "Sandra Kicken", EASY, True),
    ("Liefde op het werk", "Monique Brouns", EASY, True),
    ("Het huis aan de Geleenbeek", "Jos Vaessen", EASY, True),
    ("De kermis", "Ria Ubachs", EASY, True),
    ("Op reis naar Marokko", "Nadia Amrani", EASY, True),
    ("Mijn leven in Heerlen", "Peter Mertens", EASY, True),
    ("Het spookhuis", "Tiny Bemelmans", EASY, True),
    ("De moestuin", "Leo Janssen", EASY, True),
    ("De sleutel", "Annie Quaedvlieg", EASY, True),
    ("Een vriend voor Anna", "Marleen Dohmen", EASY, True),
    ("Nachtdienst", "Ger Kerckhoffs", EASY, True),
    ("Het ongeluk", "Yvonne Habets", EASY, True),
    ("Carnaval!", "Sjef Ramakers", EASY, True),
    ("De verhuizing", "Carla Knops", EASY, True),
    ("Vissen met opa", "Harry Paulissen", EASY, True),
    ("Verliefd in Valkenburg", "Mieke Laeven", EASY, True),
    ("Een nieuwe start", "Joyce Pluijmen", EASY, True),
    ("De laatste trein", "Rob Gulpen", EASY, True),
    ("Twee zussen", "Esther Souren", EASY, True),
    ("Het feest", "Marcel Wetzels", EASY, True),
    ("De wolf in het bos", "Anouk Frissen", EASY, True),
    ("Een kamer voor mij alleen", "Ilse Hamers", EASY, True),
    ("Het lot uit de loterij", "Frans Bours", EASY, True),
    ("Solliciteren: zo doe je dat", "Marga Schreurs", INFO, True),
    ("Je cv in vijf stappen", "Dennis Lenssen", INFO, True),
    ("Het sollicitatiegesprek", "Marga Schreurs", INFO, True),
    ("Werken in de zorg", "Helga Bongers", INFO, True),
    ("Werken in de logistiek", "Tom Kuijpers", INFO, False),
    ("Werken in het groen", "Jan Custers", INFO, True),
    ("Werken in de schoonmaak", "Sevgi Yilmaz", INFO, True),
    ("Werken in de keuken", "Luc Muijrers", INFO, False),
    ("Geld en je budget", "Nicole Wijnen", INFO, True),
    ("Mijn loonstrook lezen", "Nicole Wijnen", INFO, True),
    ("Je rechten op het werk", "Paul Theunissen", INFO, False),
    ("Gezond eten, makkelijk", "Loes Dautzenberg", INFO, True),
    ("De computer: eerste stappen", "Rik Vanderheijden", INFO, True),
    ("Veilig online", "Rik Vanderheijden", INFO, True),
    ("Omgaan met stress", "Ans Meulenberg", INFO, True),
    ("Je rijbewijs halen", "Erik Bastiaens", INFO, False),
    ("Vrijwilligerswerk: wat is dat?", "Gerda Peters", INFO, True),
    ("Een opleiding kiezen", "Hans Lemmens", INFO, False),
    ("Formulieren invullen", "Astrid Hermans", INFO, True),
    ("Praten met je baas", "Mark Loven", INFO, True),
    ("Goed slapen", "Ans Meulenberg", INFO, True),
    ("De huisarts en jij", "Helga Bongers", INFO, True),
    ("Werk en je gezondheid", "Paul Theunissen", INFO, False),
    ("Je eigen bedrijf beginnen", "Bas Vroomen", INFO, False),
    ("Taal op het werk, niveau 1F", "Renée Kohl", STUDY, False),
    ("Rekenen 1F: oefenboek", "Guido Mesters", STUDY, False),
    ("Spelling in stappen", "Renée Kohl", STUDY, False),
    ("Woorden voor de werkvloer", "Yasmina Chaouch", STUDY, True),
    ("Beter schrijven op het werk", "Marieke Ummels", STUDY, False),
    ("Rekenen met geld", "Guido Mesters", STUDY, True),
    ("Lezen is leuk: oefenboek", "Renée Kohl", STUDY, True),
    ("Klaar voor het mbo", "Hans Lemmens", STUDY, False),
    ("Puzzelboek Limburg", "Sjef Ramakers", OTHER, False),
    ("Moppenboek voor de pauze", "Wiel Schoenmakers", OTHER, False),
    ("Fotoboek Parkstad", "Jo Crombach", OTHER, False),
    ("Recepten uit grootmoeders keuken", "Ria Ubachs", OTHER, True),
    ("Wandelen in het Heuvelland", "Leo Janssen", OTHER, False),
    ("Strips: De Kolenboer", "Ger Kerckhoffs", OTHER, False),
    ("Tuinieren op je balkon", "Jan Custers", OTHER, True),
]
AT_LIBRARY = 15  # fifteen of BOOKS (spread over the list) wait at the library
# (position below, index of the past visit the book went on the cart): positions are a shuffle of BOOKS.
ON_CART_SINCE = [(8, 0), (14, 1), (37, 4), (len(BOOKS), 5)]

BORROWERS = ["Anja", "Ricardo", "R-1024", "Samira", "Kees", "R-2210", "Mohamed", "Lisa", "Twan", "R-3317"]
# Requests per past visit (index from the oldest): (title of a book in BOOKS or free title, borrower)
REQUESTS = [
    [("Werken in de zorg", "Samira"), ("Een boek over de Tweede Wereldoorlog in Limburg", "Kees")],
    [("Je cv in vijf stappen", "R-1024")],
    [("Geld en je budget", ""), ("Een kookboek met Turkse recepten", "Mohamed")],
    [("Het sollicitatiegesprek", "Lisa")],
    [("Je rijbewijs halen", "Twan")],
    # The last visit before the next one: these stay open and end up on the packing list.
    [
        ("Werken in de logistiek", "Ricardo"),
        ("Omgaan met stress", "Anja"),
        ("Een boek over voetbal, makkelijk te lezen", "R-2210"),
    ],
]


def _second_wednesday(year, month):
    first = date(year, month, 1)
    return first + timedelta(days=(2 - first.weekday()) % 7 + 7)


def _month_days(today, back, ahead):
    days = []
    for offset in range(-back - 1, ahead + 2):
        year, month = divmod(today.month - 1 + offset, 12)
        days.append(_second_wednesday(today.year + year, month + 1))
    past = [d for d in days if d < today][-back:]
    upcoming = [d for d in days if d >= today][:ahead]
    return past, upcoming


def load_demo(*, now) -> list[str]:
    library = Library.objects.filter(slug=core.LGO).first()
    site = PartnerSite.objects.filter(partner__slug="relim").order_by("pk").first()
    if library is None or site is None:
        return []
    if Cart.objects.filter(library=library, name=CART_NAME).exists():
        return ["Mini-library: the Relim cart is already there."]
    return _Loader(now, library, site).load()


class _Loader:
    def __init__(self, now, library, site):
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = now
        self.today = timezone.localtime(now, self.tz).date()
        self.library, self.site = library, site
        self.volunteer = Worker.objects.filter(library=library, name=VOLUNTEER).first()

    def at(self, day, hour=12, minute=0):
        return datetime.combine(day, time(hour, minute), tzinfo=self.tz)

    def load(self):
        cart = Cart(
            library=self.library,
            name=CART_NAME,
            target_size=60,
            rotation_weeks=12,
            notes="Sinds 2012 elke maand in de lunchpauze in de kantine van Relim.",
        )
        cart.full_clean()
        cart.save()
        cart.partner_sites.add(self.site)
        past, upcoming = _month_days(self.today, back=6, ahead=2)
        books = self.books(cart, past)
        visits = [self.visit(cart, day, Visit.Status.DONE) for day in past]
        planned = [self.visit(cart, day, Visit.Status.PLANNED) for day in upcoming]
        loans = self.loans(books, visits)
        requests = self.requests(cart, books, visits)
        loans_anonymise_expired(now=self.now)
        self.volunteer_login()
        return [
            f"Mini-library: cart “{cart.name}” with {len(books)} books, {len(visits)} past visits, "
            f"{len(planned)} planned, {loans} loans, {requests} requests.",
            f"  Packing list for the next visit: /admin/minilibrary/cart/{cart.pk}/packing-list/ "
            f"(volunteer login: {VOLUNTEER_LOGIN[1]})",
        ]

    def books(self, cart, past):
        """60 books on the cart since one of the past visits (the oldest ones past their rotation); the
        rest at the library, some never on the cart and some taken off at an earlier visit."""
        books = []
        on_cart = len(BOOKS) - AT_LIBRARY
        for index, (title, author, kind, easy) in enumerate(BOOKS):
            book = Book(cart=cart, title=title, author=author, kind=kind, easy_reading=easy)
            # Spread over the collection so that both places hold every kind of book.
            position = (index * 7) % len(BOOKS)
            if position < on_cart:
                book.location = Book.Location.CART
                # 14 books past the rotation of 12 weeks (they go off), the rest more recent.
                book.on_cart_since = past[next(i for limit, i in ON_CART_SINCE if position < limit)]
            else:
                book.location = Book.Location.LIBRARY
                book.off_cart_since = past[1] if position % 3 == 0 else None
            book.full_clean()
            books.append(book)
        return Book.objects.bulk_create(books)

    def visit(self, cart, day, status):
        session = Session.objects.filter(
            programme__library=self.library,
            programme__slug="mobiele-mini-bieb-relim",
            starts_at__date=day,
        ).first()
        visit = Visit(
            cart=cart,
            partner_site=self.site,
            date=day,
            volunteer=self.volunteer,
            session=session,
            status=status,
            notes="Druk in de kantine; veel vragen over werk." if status == Visit.Status.DONE else "",
        )
        visit.full_clean()
        visit.save()
        return visit

    def loans(self, books, visits):
        """Each visit lends a few books that were on the cart then; most come back at the next visit."""
        out = {}  # book pk -> loan still open
        count = 0
        for number, visit in enumerate(visits):
            lent_at = self.at(visit.date, 12, 10)
            for loan in list(out.values()):
                if (loan.book_id + number) % 5 != 0 or number == len(visits) - 1:
                    loan.returned_at, loan.returned_visit = self.at(visit.date, 12, 5), visit
                    loan.save(update_fields=["returned_at", "returned_visit"])
                    del out[loan.book_id]
            choices = [
                b
                for b in books
                if b.location == Book.Location.CART and b.on_cart_since <= visit.date and b.pk not in out
            ]
            for index in range(5 + number % 3):
                book = choices[(number * 11 + index * 7) % len(choices)]
                if book.pk in out:
                    continue
                loan = Loan(
                    book=book,
                    visit=visit,
                    borrower=BORROWERS[(number + index) % len(BORROWERS)],
                    lent_at=lent_at + timedelta(minutes=index),
                )
                loan.full_clean()
                loan.save()
                out[book.pk] = loan
                count += 1
        return count

    def requests(self, cart, books, visits):
        by_title = {b.title: b for b in books}
        count = 0
        for number, (visit, asked) in enumerate(zip(visits, REQUESTS[-len(visits) :], strict=False)):
            last = number == len(visits) - 1
            for index, (title, borrower) in enumerate(asked):
                book = by_title.get(title)
                request = Request(visit=visit, book=book, title="" if book else title, borrower=borrower)
                if not last:
                    if book is None and index == 1 and number == 0:
                        request.status, request.reason = Request.Status.CANNOT, "Niet in de collectie."
                        request.closed_at = self.at(visits[number + 1].date, 9)
                    else:
                        request.status, request.fulfilled_visit = Request.Status.FULFILLED, visits[number + 1]
                        request.closed_at = self.at(visits[number + 1].date, 12, 30)
                request.full_clean()
                request.save()
                Request.objects.filter(pk=request.pk).update(created_at=self.at(visit.date, 12, 20 + index))
                count += 1
        # A book asked for at the last visit waits at the library, so the packing list says: fetch it.
        lent = set(
            Loan.objects.filter(book__cart=cart, returned_at__isnull=True).values_list("book_id", flat=True)
        )
        waiting = Request.objects.filter(visit__cart=cart, status=Request.Status.OPEN, book__isnull=False)
        Book.objects.filter(pk__in=waiting.values("book_id"), location=Book.Location.CART).exclude(
            pk__in=lent
        ).update(location=Book.Location.LIBRARY, on_cart_since=None, off_cart_since=visits[0].date)
        return count

    def volunteer_login(self):
        """A volunteer of Landgraaf who sees only that library and may lend, take back and pack."""
        username, email, (first, last) = VOLUNTEER_LOGIN
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "email": email,
                "first_name": first,
                "last_name": last,
                "is_staff": True,
                "password": make_password(core.STAFF_PASSWORD),
            },
        )
        host = Group.objects.filter(name=HOST).first()
        if host is not None:
            user.groups.add(host)
        user.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="minilibrary", codename__in=VOLUNTEER_PERMISSIONS
            )
        )
        LibraryMembership.objects.get_or_create(user=user, library=self.library)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
