from datetime import timedelta

from django import forms
from django.contrib.admin import widgets
from django.utils.translation import gettext_lazy as _

from partners.models import PartnerSite
from programmes.models import Branch, Programme


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
            self.initial.update(
                rhythm=programme.rhythm,
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
