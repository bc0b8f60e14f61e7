from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from people.models import PHONE_CHANNELS, ContactChannel
from programmes.models import Branch, Library, Programme

CONSENT_TEXT = _(
    "I agree that the library keeps my name and phone number or e-mail address. "
    "The library uses them only to send me messages about this activity."
)


class ContactFieldsForm(forms.Form):
    """Only what is needed to reach the person: a name and one way to contact them.

    Shared by every no-account form for job seekers (a meeting's sign-up, booking a coach); a
    subclass adds its own question through `extra_layout`.
    """

    extra_layout = ()

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        error_messages={"required": _("Fill in your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = PhoneNumberField(
        label=_("Your phone number"),
        required=False,
        region="NL",
        help_text=_("For example 06 12345678."),
        error_messages={"invalid": _("This is not a correct phone number. Type it like this: 06 12345678.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_("Only if you read your e-mail."),
        error_messages={"invalid": _("This is not an e-mail address. It looks like this: name@example.nl.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    preferred_channel = forms.ChoiceField(
        label=_("How do we reach you?"),
        choices=ContactChannel.choices,
        initial=ContactChannel.SMS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how we reach you.")},
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Tick the box. Without it we cannot sign you up.")},
    )
    # Honeypot: hidden from people, filled in by scripts.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "name",
            "phone",
            "email",
            "preferred_channel",
            *self.extra_layout,
            "consent",
            Div("website", css_class="hp-field", aria_hidden="true"),
        )

    def clean(self):
        data = super().clean()
        phone, email = data.get("phone"), data.get("email")
        channel = data.get("preferred_channel")
        if "phone" in self.errors or "email" in self.errors:
            return data
        if not phone and not email:
            self.add_error("phone", _("Fill in a phone number or an e-mail address."))
        elif channel == ContactChannel.EMAIL and not email:
            self.add_error("email", _("You chose e-mail. Fill in your e-mail address."))
        elif channel in PHONE_CHANNELS and not phone:
            self.add_error("phone", _("You chose the phone. Fill in your phone number."))
        return data

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))


class SignUpForm(ContactFieldsForm):
    """Signing up for a meeting or a course."""

    extra_layout = ("help_wanted",)
    # Its empty markup is the same on every meeting's page (see portal_tags.crispy_fixed).
    fixed_when_empty = True
    field_order = ["name", "phone", "email", "preferred_channel", "help_wanted", "consent", "website"]

    help_wanted = forms.CharField(
        label=_("I would like help with … (you may leave this empty)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AgendaFilterForm(forms.Form):
    MODE_CHOICES = [("", _("Online and in person")), ("in_person", _("In person")), ("online", _("Online"))]

    library = forms.ModelChoiceField(
        label=_("Library"),
        queryset=Library.objects.all(),
        required=False,
        empty_label=_("All libraries"),
        to_field_name="slug",
    )
    branch = forms.ModelChoiceField(
        label=_("Branch"),
        queryset=Branch.objects.filter(is_active=True).select_related("library"),
        required=False,
        empty_label=_("All branches"),
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.filter(is_published=True).select_related("library"),
        required=False,
        empty_label=_("All programmes"),
    )
    mode = forms.ChoiceField(label=_("Online or in person"), choices=MODE_CHOICES, required=False)
    week = forms.DateField(
        label=_("Week of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Pick a day: you see that whole week."),
        error_messages={"invalid": _("This is not a date. Use the calendar, or type it like 31-12-2026.")},
    )

    # With many libraries, every branch and programme in one list would make a long, heavy page:
    # then the lists hold those of the chosen library only.
    ALL_CHOICES_UP_TO = 8

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].label_from_instance = lambda b: f"{b.name} ({b.library.name})"
        self.fields["programme"].label_from_instance = lambda p: f"{p.name} ({p.library.name})"
        library_slug = self.data.get("library") if self.is_bound else None
        if library_slug:
            for name in ("branch", "programme"):
                self.fields[name].queryset = self.fields[name].queryset.filter(library__slug=library_slug)
        elif Library.objects.count() > self.ALL_CHOICES_UP_TO:
            for name in ("branch", "programme"):
                self.fields[name].queryset = self.fields[name].queryset.none()
                self.fields[name].help_text = _("Choose a library first.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
