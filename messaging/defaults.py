"""The built-in message texts. Staff can replace any of them in the admin ("message texts").

Short sentences, one idea each; date, time and place always in that order.
"""

_WHEN_WHERE_NL = "Datum: {{ date }}\nTijd: {{ time }}\nPlaats: {{ place }}\n"
_WHEN_WHERE_EN = "Date: {{ date }}\nTime: {{ time }}\nPlace: {{ place }}\n"

DEFAULTS = {
    ("registration_confirmed", "nl"): (
        "Je bent aangemeld: {{ programme }}",
        "Hallo {{ name }}.\nJe bent aangemeld voor {{ programme }}.\n"
        + _WHEN_WHERE_NL
        + "Kun je niet komen? Meld je af met deze link: {{ link }}\n{{ library }}",
    ),
    ("registration_confirmed", "en"): (
        "You are signed up: {{ programme }}",
        "Hello {{ name }}.\nYou are signed up for {{ programme }}.\n"
        + _WHEN_WHERE_EN
        + "Can you not come? Cancel with this link: {{ link }}\n{{ library }}",
    ),
    ("registration_waitlisted", "nl"): (
        "Je staat op de wachtlijst: {{ programme }}",
        "Hallo {{ name }}.\n{{ programme }} is vol.\nJe staat op de wachtlijst. Je bent nummer {{ position }}.\n"
        + _WHEN_WHERE_NL
        + "Komt er een plek vrij? Dan krijg je een bericht.\nJe aanmelding: {{ link }}\n{{ library }}",
    ),
    ("registration_waitlisted", "en"): (
        "You are on the waiting list: {{ programme }}",
        "Hello {{ name }}.\n{{ programme }} is full.\nYou are on the waiting list. You are number {{ position }}.\n"
        + _WHEN_WHERE_EN
        + "If a place comes free, we send you a message.\nYour sign-up: {{ link }}\n{{ library }}",
    ),
    ("waitlist_promoted", "nl"): (
        "Er is een plek voor je: {{ programme }}",
        "Hallo {{ name }}.\nEr is een plek voor je!\nJe bent aangemeld voor {{ programme }}.\n"
        + _WHEN_WHERE_NL
        + "Kun je niet komen? Meld je af met deze link: {{ link }}\n{{ library }}",
    ),
    ("waitlist_promoted", "en"): (
        "There is a place for you: {{ programme }}",
        "Hello {{ name }}.\nThere is a place for you!\nYou are signed up for {{ programme }}.\n"
        + _WHEN_WHERE_EN
        + "Can you not come? Cancel with this link: {{ link }}\n{{ library }}",
    ),
    ("registration_cancelled", "nl"): (
        "Je bent afgemeld: {{ programme }}",
        "Hallo {{ name }}.\nJe bent afgemeld voor {{ programme }}.\nDatum: {{ date }}\n"
        "Je bent een andere keer welkom.\n{{ library }}",
    ),
    ("registration_cancelled", "en"): (
        "You are no longer signed up: {{ programme }}",
        "Hello {{ name }}.\nYou are no longer signed up for {{ programme }}.\nDate: {{ date }}\n"
        "You are welcome another time.\n{{ library }}",
    ),
    ("personal_link", "nl"): (
        "Je aanmelding: {{ programme }}",
        "Hallo {{ name }}.\nJe bent al aangemeld voor {{ programme }}.\n"
        + _WHEN_WHERE_NL
        + "Je aanmelding zien of afmelden: {{ link }}\n{{ library }}",
    ),
    ("personal_link", "en"): (
        "Your sign-up: {{ programme }}",
        "Hello {{ name }}.\nYou are already signed up for {{ programme }}.\n"
        + _WHEN_WHERE_EN
        + "See or cancel your sign-up: {{ link }}\n{{ library }}",
    ),
    ("reminder", "nl"): (
        "Denk je eraan? {{ programme }}",
        "Hallo {{ name }}.\nDenk je eraan? {{ programme }}.\n"
        + _WHEN_WHERE_NL
        + "Kun je niet komen? Meld je af met deze link: {{ link }}\n{{ library }}",
    ),
    ("reminder", "en"): (
        "Reminder: {{ programme }}",
        "Hello {{ name }}.\nA reminder: {{ programme }}.\n"
        + _WHEN_WHERE_EN
        + "Can you not come? Cancel with this link: {{ link }}\n{{ library }}",
    ),
    ("online_link", "nl"): (
        "Zo begint {{ programme }}: de link",
        "Hallo {{ name }}.\n{{ programme }} begint zo.\nDatum: {{ date }}\nTijd: {{ time }}\n"
        "Doe mee met deze link: {{ online_link }}\n{{ library }}",
    ),
    ("online_link", "en"): (
        "{{ programme }} starts soon: the link",
        "Hello {{ name }}.\n{{ programme }} starts soon.\nDate: {{ date }}\nTime: {{ time }}\n"
        "Join with this link: {{ online_link }}\n{{ library }}",
    ),
    ("session_cancelled", "nl"): (
        "Gaat niet door: {{ programme }}",
        "Hallo {{ name }}.\n{{ programme }} gaat niet door.\nDatum: {{ date }}\nTijd: {{ time }}\n"
        "{% if reason %}Waarom: {{ reason }}\n{% endif %}Sorry!\nAndere datums: {{ agenda_link }}\n{{ library }}",
    ),
    ("session_cancelled", "en"): (
        "Cancelled: {{ programme }}",
        "Hello {{ name }}.\n{{ programme }} is cancelled.\nDate: {{ date }}\nTime: {{ time }}\n"
        "{% if reason %}Why: {{ reason }}\n{% endif %}Sorry!\nOther dates: {{ agenda_link }}\n{{ library }}",
    ),
    ("session_moved", "nl"): (
        "Nieuwe tijd: {{ programme }}",
        "Hallo {{ name }}.\n{{ programme }} is verplaatst.\nDit is de nieuwe tijd:\n"
        + _WHEN_WHERE_NL
        + "Kun je dan niet? Meld je af met deze link: {{ link }}\n{{ library }}",
    ),
    ("session_moved", "en"): (
        "New time: {{ programme }}",
        "Hello {{ name }}.\n{{ programme }} has moved.\nThis is the new time:\n"
        + _WHEN_WHERE_EN
        + "Can you not come then? Cancel with this link: {{ link }}\n{{ library }}",
    ),
    ("session_moved_online", "nl"): (
        "Nu online: {{ programme }}",
        "Hallo {{ name }}.\n{{ programme }} is nu online.\nDatum: {{ date }}\nTijd: {{ time }}\n"
        "Je krijgt de link kort voor de start.\n{{ library }}",
    ),
    ("session_moved_online", "en"): (
        "Now online: {{ programme }}",
        "Hello {{ name }}.\n{{ programme }} is now online.\nDate: {{ date }}\nTime: {{ time }}\n"
        "You get the link shortly before the start.\n{{ library }}",
    ),
    ("staff_message", "nl"): (
        "Bericht over {{ programme }}",
        "Hallo {{ name }}.\nEen bericht over {{ programme }}.\nDatum: {{ date }}\n{{ message }}\n{{ library }}",
    ),
    ("staff_message", "en"): (
        "A message about {{ programme }}",
        "Hello {{ name }}.\nA message about {{ programme }}.\nDate: {{ date }}\n{{ message }}\n{{ library }}",
    ),
    ("referral_status", "nl"): (
        "Verwijzing {{ participant }}: {{ status }}",
        "Beste {{ name }},\nDe verwijzing van {{ participant }} naar {{ programme }} heeft een nieuwe status: "
        "{{ status }}.\nMeer zien: {{ link }}\n{{ library }}",
    ),
    ("referral_status", "en"): (
        "Referral {{ participant }}: {{ status }}",
        "Dear {{ name }},\nThe referral of {{ participant }} to {{ programme }} has a new status: {{ status }}.\n"
        "See more: {{ link }}\n{{ library }}",
    ),
    ("appointment_confirmed", "nl"): (
        "Je afspraak: {{ programme }}",
        "Hallo {{ name }}.\nJe hebt een afspraak met: {{ coach }}.\n"
        + _WHEN_WHERE_NL
        + "Kun je niet? Verzet of annuleer je afspraak met deze link: {{ link }}\n{{ library }}",
    ),
    ("appointment_confirmed", "en"): (
        "Your appointment: {{ programme }}",
        "Hello {{ name }}.\nYou have an appointment with: {{ coach }}.\n"
        + _WHEN_WHERE_EN
        + "Can you not come? Move or cancel it with this link: {{ link }}\n{{ library }}",
    ),
    ("appointment_cancelled", "nl"): (
        "Afspraak geannuleerd: {{ programme }}",
        "Hallo {{ name }}.\nJe afspraak is geannuleerd.\nDatum: {{ date }}\nTijd: {{ time }}\n"
        "Je kunt altijd een nieuwe afspraak maken.\n{{ library }}",
    ),
    ("appointment_cancelled", "en"): (
        "Appointment cancelled: {{ programme }}",
        "Hello {{ name }}.\nYour appointment is cancelled.\nDate: {{ date }}\nTime: {{ time }}\n"
        "You can always make a new appointment.\n{{ library }}",
    ),
    ("appointment_moved", "nl"): (
        "Nieuwe tijd voor je afspraak: {{ programme }}",
        "Hallo {{ name }}.\nJe afspraak is verzet. Dit is de nieuwe tijd:\n"
        + _WHEN_WHERE_NL
        + "Kun je dan niet? Gebruik deze link: {{ link }}\n{{ library }}",
    ),
    ("appointment_moved", "en"): (
        "New time for your appointment: {{ programme }}",
        "Hello {{ name }}.\nYour appointment has moved. This is the new time:\n"
        + _WHEN_WHERE_EN
        + "Can you not come then? Use this link: {{ link }}\n{{ library }}",
    ),
    ("appointment_reminder", "nl"): (
        "Denk je aan je afspraak? {{ programme }}",
        "Hallo {{ name }}.\nDenk je aan je afspraak met: {{ coach }}?\n"
        + _WHEN_WHERE_NL
        + "Kun je niet? Verzet of annuleer je afspraak met deze link: {{ link }}\n{{ library }}",
    ),
    ("appointment_reminder", "en"): (
        "Reminder: your appointment, {{ programme }}",
        "Hello {{ name }}.\nA reminder of your appointment with: {{ coach }}.\n"
        + _WHEN_WHERE_EN
        + "Can you not come? Move or cancel it with this link: {{ link }}\n{{ library }}",
    ),
}

SAMPLE_CONTEXT = {
    "name": "Samira",
    "programme": "Walk & Talk",
    "topic": "Je cv verbeteren",
    "date": "dinsdag 1 december",
    "time": "10:00 – 11:30",
    "place": "Bibliotheek Hoorn, Kleine Noord 30, 1621 GD Hoorn",
    "link": "https://werk.bibliotheek.example/aanmelding/voorbeeld/",
    "agenda_link": "https://werk.bibliotheek.example/agenda/",
    "online_link": "https://meet.example/walk-and-talk",
    "position": 2,
    "message": "We zitten deze keer in zaal 2.",
    "reason": "De spreker is ziek.",
    "library": "Westfriese Bibliotheken",
    "participant": "Samira",
    "status": "Intake gepland",
    "coach": "Ingrid (loopbaancoach)",
}
