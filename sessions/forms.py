from datetime import timedelta

from django import forms
from django.contrib.admin import widgets
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from partners.models import PartnerSite
from people.models import PHONE_CHANNELS, ContactChannel
from programmes.models import Branch, Programme

from .models import Registration


def session_rhythms():
    return {
        Programme.Rhythm.WEEKLY,
        Programme.Rhythm.TWICE_MONTHLY,
        Programme.Rhythm.EVERY_FOUR_WEEKS,
        Programme.Rhythm.MONTHLY,
    }


class SessionSeriesForm(forms.Form):
    """Staff describe a rhythm; the service creates the meetings."""

    first_start = forms.SplitDateTimeField(label=_("first meeting starts"), widget=widgets.AdminSplitDateTime)
    duration_minutes = forms.IntegerField(
        label=_("length in minutes"), min_value=15, max_value=600, initial=90
    )
    rhythm = forms.ChoiceField(label=_("rhythm"), choices=Programme.Rhythm.choices)
    count = forms.IntegerField(label=_("number of meetings"), min_value=1, max_value=60, initial=6)
    branch = forms.ModelChoiceField(label=_("branch"), queryset=Branch.objects.none(), required=False)
    partner_site = forms.ModelChoiceField(
        label=_("partner site"), queryset=PartnerSite.objects.none(), required=False
    )
    online_url = forms.URLField(label=_("online meeting link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label=_("places"), min_value=1, required=False, help_text=_("Leave empty for no limit.")
    )
    topic = forms.CharField(label=_("theme or topic"), max_length=200, required=False)
    run_title = forms.CharField(
        label=_("name of the course run"),
        max_length=200,
        required=False,
        help_text=_("Only for a course or reading circle. For example: Zoek werk, spring 2027."),
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["branch"].queryset = Branch.objects.filter(library=programme.library, is_active=True)
        self.fields["partner_site"].queryset = PartnerSite.objects.filter(
            partner__libraries=programme.library
        ).select_related("partner")
        if not self.is_bound:
            rhythm = programme.rhythm
            if programme.is_enrolment and rhythm not in session_rhythms():
                # A course that runs twice a year still meets weekly within a run.
                rhythm = Programme.Rhythm.WEEKLY
            self.initial.update(
                rhythm=rhythm,
                capacity=programme.default_capacity,
                branch=programme.default_branch_id,
                count=programme.number_of_meetings or 6,
            )
            if programme.session_duration:
                self.initial["duration_minutes"] = int(programme.session_duration.total_seconds() // 60)

    def clean(self):
        data = super().clean()
        places = [bool(data.get("branch")), bool(data.get("partner_site")), bool(data.get("online_url"))]
        if data.get("branch") and data.get("partner_site"):
            self.add_error("partner_site", _("Choose a branch or a partner site, not both."))
        elif not any(places):
            self.add_error("branch", _("Choose a branch, a partner site or give an online link."))
        return data

    @property
    def duration(self):
        return timedelta(minutes=self.cleaned_data["duration_minutes"])


class StaffSignUpForm(forms.Form):
    """Staff sign someone up at the desk or by phone: a name is enough."""

    name = forms.CharField(label=_("name"), max_length=150)
    phone = PhoneNumberField(label=_("phone number"), required=False, region="NL")
    email = forms.EmailField(label=_("e-mail address"), required=False)
    preferred_channel = forms.ChoiceField(
        label=_("preferred way to be reached"),
        choices=[("", "---------"), *ContactChannel.choices],
        required=False,
    )
    source = forms.ChoiceField(
        label=_("signed up via"),
        choices=[(Registration.Source.DESK, _("At the desk")), (Registration.Source.PHONE, _("By phone"))],
    )
    help_wanted = forms.CharField(label=_("would like help with"), max_length=300, required=False)
    consent = forms.BooleanField(
        label=_("The person agreed that we keep their contact details to send messages about this activity"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        channel = data.get("preferred_channel")
        if channel == ContactChannel.EMAIL and not data.get("email"):
            self.add_error("email", _("To be reached by e-mail, give an e-mail address."))
        elif channel in PHONE_CHANNELS and not data.get("phone"):
            self.add_error("phone", _("To be reached by phone, give a phone number."))
        if (data.get("phone") or data.get("email")) and not data.get("consent"):
            self.add_error("consent", _("Ask for consent before you note a phone number or e-mail address."))
        return data


class StaffMessageForm(forms.Form):
    text = forms.CharField(
        label=_("message"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: We meet in room 2 this time."),
    )
