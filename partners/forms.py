"""Forms of the referral portal (consultants of municipalities and partners)."""

import functools
import re

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.template import Context, Engine
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from people.models import PHONE_CHANNELS, ContactChannel
from portal.rendered import RenderedOnce
from programmes.models import Programme

from .models import Referral
from .selectors import referable_programmes, status_filter_choices

# Nine digits in a row is what a citizen service number (BSN) looks like; a Dutch phone number has ten.
_BSN_LIKE = re.compile(r"(?<!\d)\d{9}(?!\d)|(?<!\d)\d{4}[ .]\d{2}[ .]\d{3}(?!\d)")

NO_SENSITIVE_DATA = _(
    "Do not enter a citizen service number (BSN), and no medical details or details about benefits."
)


@functools.cache
def _crispy_template():
    return Engine.get_default().from_string("{% load crispy_forms_tags %}{% crispy form %}")


def _programme_label(programme):
    return f"{programme.name} ({programme.library.name})"


class _CrispyMixin:
    def _helper(self):
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        return helper


def note_field(label, *, max_length):
    """A short free-text field for the library; the form checks it with `note_clean`."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=NO_SENSITIVE_DATA,
        error_messages={
            "max_length": _("Make this shorter: at most %(limit_value)d characters (now %(show_value)d)."),
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def note_clean(note):
    note = note.strip()
    if _BSN_LIKE.search(note):
        raise forms.ValidationError(
            _("This looks like a citizen service number (BSN). Leave it out."), code="bsn"
        )
    return note


class ParticipantContactForm(_CrispyMixin, forms.Form):
    """Who the participant is and how the library reaches them: the referral form and its correction."""

    name = forms.CharField(
        label=_("Name of the participant"),
        max_length=150,
        error_messages={
            "required": _("Fill in the participant's name."),
            "max_length": _("Make this shorter: at most %(limit_value)d characters (now %(show_value)d)."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = PhoneNumberField(
        label=_("Phone number"),
        required=False,
        region="NL",
        help_text=_("For example 06 12345678. Many participants are best reached by phone."),
        error_messages={"invalid": _("This is not a correct phone number. Type it like this: 06 12345678.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Only if the participant reads their e-mail."),
        error_messages={"invalid": _("This is not an e-mail address. It looks like this: name@example.nl.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    preferred_channel = forms.ChoiceField(
        label=_("How does the library best reach the participant?"),
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the library reaches the participant.")},
    )

    def clean(self):
        data = super().clean()
        phone, email, channel = data.get("phone"), data.get("email"), data.get("preferred_channel")
        if "phone" not in self.errors and "email" not in self.errors:
            if not phone and not email:
                self.add_error("phone", _("Fill in a phone number or an e-mail address."))
            elif channel == ContactChannel.EMAIL and not email:
                self.add_error("email", _("You chose e-mail. Fill in the e-mail address."))
            elif channel in PHONE_CHANNELS and not phone:
                self.add_error("phone", _("You chose the phone. Fill in the phone number."))
        return data


class ReferralForm(ParticipantContactForm):
    """The participant's minimum data, the programme and what the participant agreed to."""

    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.select_related("library"),
        empty_label=_("Choose a programme"),
        error_messages={
            "required": _("Choose a programme."),
            "invalid_choice": _("Choose a programme from the list."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Voluntary or mandatory?"),
        choices=Referral.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose voluntary or mandatory.")},
    )
    consent_contact = forms.BooleanField(
        label=_("The participant agrees that the library contacts them about this programme."),
        required=False,
    )
    consent_report_attendance = forms.BooleanField(
        label=_(
            "The participant agrees that the library tells us whether they come and whether they finish."
        ),
        required=False,
        help_text=_("Without this, you only see whether the library has planned an intake or a place."),
    )
    consent_given_on = forms.DateField(
        label=_("Date the participant agreed"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("This is not a date. Use the calendar, or type it like 31-12-2026.")},
    )
    note = note_field(_("Short note for the library (you may leave this empty)"), max_length=500)

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        # Only the programmes open to this organisation are offered; any other is refused with a reason.
        field = self.fields["programme"]
        field.label_from_instance = _programme_label
        field.widget.choices = [("", field.empty_label)] + [
            (p.pk, _programme_label(p)) for p in referable_programmes(partner)
        ]
        self.helper = self._helper()

    def clean_programme(self):
        programme = self.cleaned_data["programme"]
        if not referable_programmes(self.partner).filter(pk=programme.pk).exists():
            raise forms.ValidationError(
                _("%(programme)s does not take referrals from %(partner)s. Choose another programme."),
                params={"programme": programme.name, "partner": self.partner.name},
                code="closed",
            )
        return programme

    def clean_note(self):
        return note_clean(self.cleaned_data["note"])

    def clean(self):
        data = super().clean()
        if not data.get("consent_contact"):
            self.add_error(
                "consent_contact",
                _("The library can only take the referral if the participant agrees to be contacted."),
            )
        given_on = data.get("consent_given_on")
        if "consent_given_on" not in self.errors:
            if given_on is None:
                self.add_error("consent_given_on", _("Fill in the date the participant agreed."))
            elif given_on > timezone.localdate():
                self.add_error(
                    "consent_given_on", _("This date is in the future. Give today or an earlier date.")
                )
        return data


_EMPTY_FILTER_FORMS = RenderedOnce()


class ReferralFilterForm(_CrispyMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("All programmes"),
    )
    date_from = forms.DateField(
        label=_("Referred from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("This is not a date. Use the calendar, or type it like 31-12-2026.")},
    )
    date_to = forms.DateField(
        label=_("Referred until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("This is not a date. Use the calendar, or type it like 31-12-2026.")},
    )

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *status_filter_choices()]
        # Subqueries, not joins: a join with all of the partner's referrals needs DISTINCT over them.
        programmes = Programme.objects.filter(
            Q(pk__in=Referral.objects.filter(partner=partner).values("programme_id"))
            | Q(
                accepts_referrals=True,
                pk__in=Programme.referring_partners.through.objects.filter(
                    partnerorganisation=partner
                ).values("programme_id"),
            )
        )
        field = self.fields["programme"]
        field.queryset = programmes.select_related("library").order_by("library__name", "name")
        field.label_from_instance = _programme_label
        # The options as a list, read once (the queryset stays for validating a chosen programme).
        field.widget.choices = [("", field.empty_label)] + [
            (p.pk, _programme_label(p)) for p in field.queryset.only("name", "library__name")
        ]
        self.helper = self._helper()

    def rendered(self):
        """The form as `{% crispy form %}` renders it; the empty one kept per language and options.

        Consultants of one organisation see the same empty form over and over; rendering it field by
        field through the crispy templates costs more than the rest of their overview page. A filled-in
        form (what was typed, its mistakes) is rendered each time.
        """

        def render():
            return _crispy_template().render(Context({"form": self}))

        if self.is_bound:
            return render()
        key = (
            get_language(),
            tuple((str(value), str(label)) for value, label in self.fields["status"].choices),
            tuple((str(value), str(label)) for value, label in self.fields["programme"].widget.choices),
        )
        return _EMPTY_FILTER_FORMS.get(key, render)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("This date is before the first date."))
        return data
