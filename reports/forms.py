"""The report's choices: library (superusers, or staff of several), programme, branch, partner, period."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import PartnerOrganisation
from portal.scoping import scope_queryset, user_library_ids
from programmes.models import Branch, Library, Programme

from .selectors import ReportScope

THIS_YEAR, LAST_YEAR, LAST_12_MONTHS, THIS_MONTH, CUSTOM = (
    "this_year",
    "last_year",
    "last_12_months",
    "this_month",
    "custom",
)
PERIOD_CHOICES = [
    (THIS_YEAR, _("This year")),
    (LAST_YEAR, _("Last year")),
    (LAST_12_MONTHS, _("Last 12 months")),
    (THIS_MONTH, _("This month")),
    (CUSTOM, _("Choose dates")),
]
# A longer period makes the monthly chart unreadable and the report slow.
MAX_PERIOD_DAYS = 10 * 366


def period_dates(period, today):
    if period == THIS_YEAR:
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if period == LAST_YEAR:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if period == THIS_MONTH:
        following = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
        return today.replace(day=1), following - timedelta(days=1)
    # Last 12 months: this month and the eleven before it, whole months.
    first = today.replace(day=1)
    year, month = (first.year, first.month - 11) if first.month > 11 else (first.year - 1, first.month + 1)
    following = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    return date(year, month, 1), following - timedelta(days=1)


class _Choice(forms.ModelChoiceField):
    show_library = False

    def label_from_instance(self, obj):
        library = getattr(obj, "library", None)
        return f"{obj} ({library})" if self.show_library and library is not None else str(obj)


class ReportFilterForm(forms.Form):
    library = forms.ModelChoiceField(
        label=_("Library organisation"),
        queryset=Library.objects.none(),
        required=False,
        empty_label=_("All libraries"),
    )
    programme = _Choice(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("All programmes"),
    )
    branch = _Choice(
        label=_("Branch"), queryset=Branch.objects.none(), required=False, empty_label=_("All branches")
    )
    partner = forms.ModelChoiceField(
        label=_("Partner or municipality"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        empty_label=_("All, also without referral"),
        help_text=_("Counts only the people this partner referred, and its meetings."),
    )
    period = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_CHOICES, initial=THIS_YEAR, required=False, widget=forms.RadioSelect
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data=None, *, user, today=None, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.today = today or timezone.localdate()
        self.own_library_ids = user_library_ids(user)
        # Only what the options show: thousands of programmes, and a phone number parsed per row loaded.
        libraries = scope_queryset(Library.objects.only("name"), user)
        self.fields["library"].queryset = libraries
        if self.own_library_ids is not None and len(self.own_library_ids) <= 1:
            del self.fields["library"]
        elif self.own_library_ids is not None:
            self.fields["library"].empty_label = _("All my libraries")
        several = self.own_library_ids is None or len(self.own_library_ids) > 1
        for name, model in (("programme", Programme), ("branch", Branch)):
            self.fields[name].queryset = scope_queryset(
                model.objects.select_related("library").only("name", "library__name"), user
            ).order_by("library__name", "name")
            self.fields[name].show_library = several
        self.fields["partner"].queryset = scope_queryset(
            PartnerOrganisation.objects.only("name"), user
        ).order_by("kind", "name")

    def clean(self):
        data = super().clean()
        period = data.get("period") or THIS_YEAR
        data["period"] = period
        if period == CUSTOM:
            date_from, date_to = data.get("date_from"), data.get("date_to")
            if date_from is None and "date_from" not in self.errors:
                self.add_error("date_from", _("Give the first day."))
            if date_to is None and "date_to" not in self.errors:
                self.add_error("date_to", _("Give the last day."))
            if date_from and date_to and date_to < date_from:
                self.add_error("date_to", _("The last day cannot be before the first day."))
            elif date_from and date_to and (date_to - date_from).days > MAX_PERIOD_DAYS:
                self.add_error("date_to", _("Choose a period of at most ten years."))
        else:
            data["date_from"], data["date_to"] = period_dates(period, self.today)
        return data

    def scope(self):
        """The ReportScope of valid choices, always narrowed to the user's own libraries."""
        data = self.cleaned_data
        library = data.get("library")
        if library is not None:
            library_ids = frozenset([library.pk])
        else:
            library_ids = self.own_library_ids
        return ReportScope(
            date_from=data["date_from"],
            date_to=data["date_to"],
            library_ids=library_ids,
            programme_id=data["programme"].pk if data.get("programme") else None,
            branch_id=data["branch"].pk if data.get("branch") else None,
            partner_id=data["partner"].pk if data.get("partner") else None,
        )

    def default_scope(self):
        """This year, everything the user may see: for a page whose choices were not valid."""
        date_from, date_to = period_dates(THIS_YEAR, self.today)
        return ReportScope(date_from=date_from, date_to=date_to, library_ids=self.own_library_ids)
