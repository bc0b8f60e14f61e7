"""The printed certificate: one A4 page per person, in Dutch, black on white, large type.

Built-in Helvetica (WinAnsi encoding) covers the Dutch letters (é, ë, ï, ü) without embedding a font.

The certificate is a Dutch document whatever language the staff member's screen is in, so, like the
built-in message texts for participants (messaging/defaults.py), its texts are Dutch constants here
rather than gettext strings: they are never shown untranslated while a catalogue is out of date.
Dates use Django's own Dutch month names.
"""

from io import BytesIO

from django.utils import formats, timezone, translation
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from .models import Certificate

WIDTH, HEIGHT = A4
MARGIN = 20 * mm
TEXT_WIDTH = WIDTH - 2 * MARGIN - 20 * mm
REGULAR, BOLD = "Helvetica", "Helvetica-Bold"

TEXTS = {
    Certificate.Kind.DIPLOMA: {"title": "Diploma", "for": "Dit diploma is voor"},
    Certificate.Kind.CERTIFICATE: {"title": "Certificaat", "for": "Dit certificaat is voor"},
}
TOOK_PART = "voor het meedoen aan"
PLACE = "bij {place}"
FROM_TO = "van {first} tot en met {last}"
ON_DAY = "op {day}"
ATTENDED = "Aanwezig bij {attended} van de {held} bijeenkomsten."
ATTENDED_ONE = "Aanwezig bij {attended} van de {held} bijeenkomst."
ISSUED = "Datum: {day}"
SIGNATURE = "Handtekening namens {library}"
NUMBER = "Nummer: {code}"
CHECK = "Wilt u dit controleren? Vraag de bibliotheek naar dit nummer."


def _dutch_date(day):
    with translation.override("nl"):
        return formats.date_format(day, "j F Y")


def certificate_lines(certificate: Certificate) -> dict[str, str]:
    """The Dutch texts of one certificate, top to bottom."""
    first, last = certificate.first_meeting_on, certificate.last_meeting_on
    if first == last:
        dates = ON_DAY.format(day=_dutch_date(first))
    else:
        dates = FROM_TO.format(first=_dutch_date(first), last=_dutch_date(last))
    attended = ATTENDED_ONE if certificate.meetings_held == 1 else ATTENDED
    return {
        **TEXTS[certificate.kind],
        "name": certificate.name,
        "took_part": TOOK_PART,
        "programme": certificate.programme_name,
        "place": PLACE.format(place=certificate.place) if certificate.place else "",
        "dates": dates,
        "attended": attended.format(attended=certificate.meetings_attended, held=certificate.meetings_held),
        "library": certificate.library_name,
        "issued": ISSUED.format(day=_dutch_date(timezone.localdate(certificate.issued_at))),
        "signature": SIGNATURE.format(library=certificate.library_name),
        "number": NUMBER.format(code=certificate.code),
        "check": CHECK,
    }


def _centred(page, text, *, font, size, y, min_size=None, leading=1.25):
    """Draw text centred; shrink it to fit the width (down to min_size), then wrap. Returns the next y."""
    if not text:
        return y
    min_size = min_size or size
    while size > min_size and page.stringWidth(text, font, size) > TEXT_WIDTH:
        size -= 1
    lines = simpleSplit(text, font, size, TEXT_WIDTH)
    page.setFont(font, size)
    for line in lines:
        page.drawCentredString(WIDTH / 2, y, line)
        y -= size * leading
    return y


def _draw_page(page, certificate: Certificate):
    lines = certificate_lines(certificate)
    page.setTitle(f"{lines['title']} {certificate.name}")
    page.setStrokeGray(0)
    page.setFillGray(0)
    # A double black frame: decoration that survives any black-and-white printer.
    page.setLineWidth(3)
    page.rect(MARGIN, MARGIN, WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN)
    page.setLineWidth(1)
    page.rect(MARGIN + 3 * mm, MARGIN + 3 * mm, WIDTH - 2 * MARGIN - 6 * mm, HEIGHT - 2 * MARGIN - 6 * mm)

    y = HEIGHT - MARGIN - 28 * mm
    y = _centred(page, lines["library"], font=REGULAR, size=18, min_size=12, y=y)
    y -= 18 * mm
    y = _centred(page, lines["title"], font=BOLD, size=56, y=y)
    y -= 14 * mm
    y = _centred(page, lines["for"], font=REGULAR, size=20, y=y)
    y -= 6 * mm
    y = _centred(page, lines["name"], font=BOLD, size=36, min_size=20, y=y)
    y -= 8 * mm
    y = _centred(page, lines["took_part"], font=REGULAR, size=20, y=y)
    y -= 4 * mm
    y = _centred(page, lines["programme"], font=BOLD, size=28, min_size=18, y=y)
    y -= 4 * mm
    y = _centred(page, lines["place"], font=REGULAR, size=18, min_size=12, y=y)
    y = _centred(page, lines["dates"], font=REGULAR, size=18, min_size=12, y=y)
    y -= 6 * mm
    _centred(page, lines["attended"], font=REGULAR, size=18, min_size=12, y=y)

    # Date and signature line near the bottom.
    base = MARGIN + 55 * mm
    left, right = MARGIN + 15 * mm, WIDTH - MARGIN - 15 * mm
    page.setFont(REGULAR, 16)
    page.drawString(left, base + 4 * mm, lines["issued"])
    line_start = WIDTH / 2 + 5 * mm
    page.setLineWidth(1)
    page.line(line_start, base, right, base)
    page.setFont(REGULAR, 12)
    for index, part in enumerate(simpleSplit(lines["signature"], REGULAR, 12, right - line_start)):
        page.drawString(line_start, base - (6 + 5 * index) * mm, part)

    page.setFont(REGULAR, 12)
    page.drawCentredString(WIDTH / 2, MARGIN + 18 * mm, lines["number"])
    page.setFont(REGULAR, 10)
    page.drawCentredString(WIDTH / 2, MARGIN + 12 * mm, lines["check"])
    page.showPage()


def certificates_pdf(certificates) -> bytes:
    """One page per certificate, in the order given."""
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    page.setAuthor(certificates[0].library_name if certificates else "")
    for certificate in certificates:
        _draw_page(page, certificate)
    page.save()
    return buffer.getvalue()
