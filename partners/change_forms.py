"""Forms to correct or withdraw a referral (consultants of municipalities and partners)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import ParticipantContactForm, _CrispyMixin, note_clean, note_field
from .models import Referral


class ReferralCorrectForm(ParticipantContactForm):
    """What the consultant typed, to correct. Consent can only be taken back here, never given."""

    kind = forms.ChoiceField(
        label=_("Voluntary or mandatory?"),
        choices=Referral.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose voluntary or mandatory.")},
    )
    note = note_field(_("Short note for the library (you may leave this empty)"), max_length=500)
    stop_reporting = forms.BooleanField(
        label=_("The participant no longer agrees that the library tells us whether they come and finish."),
        required=False,
        help_text=_("This takes effect at once. You cannot turn it back on here."),
    )

    def __init__(self, *args, referral, given, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": given.name,
                "phone": given.phone.as_national if given.phone else "",
                "email": given.email,
                "preferred_channel": given.channel,
                "kind": referral.kind,
                "note": referral.note,
            },
        )
        super().__init__(*args, **kwargs)
        if not referral.consent_report_attendance:
            del self.fields["stop_reporting"]
        self.helper = self._helper()

    def clean_note(self):
        return note_clean(self.cleaned_data["note"])


class ReferralWithdrawForm(_CrispyMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you withdraw the referral?"),
        choices=Referral.WithdrawalReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a reason."),
            "invalid_choice": _("Choose a reason from the list."),
        },
    )
    note = note_field(_("Anything else the library should know? (you may leave this empty)"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper()

    def clean_note(self):
        return note_clean(self.cleaned_data["note"])

    def clean(self):
        data = super().clean()
        if (
            data.get("reason") == Referral.WithdrawalReason.OTHER
            and not data.get("note")
            and "note" not in self.errors
        ):
            self.add_error("note", _("You chose “Another reason”. Write down which reason."))
        return data
