from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from programmes.models import Branch, Library
from sessions.forms import StaffSignUpForm
from sessions.public_forms import AgendaFilterForm, ContactFieldsForm

from .models import Appointment, AvailabilityBlock


class BookingForm(ContactFieldsForm):
    """Booking a coach: the same contact details as a meeting's sign-up, and one short question."""

    extra_layout = ("topic",)
    field_order = ["name", "phone", "email", "preferred_channel", "topic", "consent", "website"]

    topic = forms.CharField(
        label=_("What do you want to work on? (you may leave this empty)"),
        help_text=_("For example: practise a job interview, or your CV."),
        required=False,
        max_length=300,
        error_messages={"max_length": _("Keep it short: at most 300 letters.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SlotFilterForm(forms.Form):
    library = forms.ModelChoiceField(
        label=_("Library"),
        queryset=Library.objects.all(),
        required=False,
        empty_label=_("All libraries"),
        to_field_name="slug",
    )
    branch = forms.ModelChoiceField(
        label=_("Branch"),
        queryset=Branch.objects.filter(
            Exists(AvailabilityBlock.objects.filter(branch=OuterRef("pk"))), is_active=True
        ).select_related("library"),
        required=False,
        empty_label=_("All branches"),
    )
    day = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("This is not a date. Use the calendar, or type it like 31-12-2026.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].label_from_instance = lambda b: f"{b.name} ({b.library.name})"
        # As on the agenda: with many libraries, the branches of the chosen library only.
        library_slug = self.data.get("library") if self.is_bound else None
        branch = self.fields["branch"]
        if library_slug:
            branch.queryset = branch.queryset.filter(library__slug=library_slug)
        elif Library.objects.count() > AgendaFilterForm.ALL_CHOICES_UP_TO:
            branch.queryset = branch.queryset.none()
            branch.help_text = _("Choose a library first.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, slot):
        start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
        return f"{date_format(start, 'l j F')}, {start:%H:%M} – {end:%H:%M}"


class MoveForm(forms.Form):
    slot = SlotChoiceField(
        label=_("Choose a new time"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose a new time."),
            "invalid_choice": _("This time is no longer free. Choose another time."),
        },
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots


class StaffBookingForm(StaffSignUpForm):
    """Staff book a time for someone at the desk or on the phone: a name is enough."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["help_wanted"].label = Appointment._meta.get_field("topic").verbose_name
        self.fields["source"].label = Appointment._meta.get_field("source").verbose_name
