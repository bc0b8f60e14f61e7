"""Staff forms for working a referral through: the next status, or a place in a meeting or course."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from sessions.models import CourseRun, Session

from .models import Referral
from .services import TRANSITIONS

Status = Referral.Status


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    intake_at = forms.SplitDateTimeField(
        label=_("Intake date and time"), required=False, widget=AdminSplitDateTime
    )
    intake_place = forms.CharField(
        label=_("Intake place"),
        required=False,
        max_length=200,
        help_text=_("For example: at IBN, Industrieweg 20, room 3."),
    )
    stop_reason = forms.CharField(
        label=_("Reason for stopping"),
        required=False,
        max_length=300,
        help_text=_("The referrer sees this only when the participant agreed to report back."),
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[referral.status]
        self.fields["status"].choices = [
            (value, label) for value, label in Status.choices if value in allowed
        ]
        self.initial.setdefault("intake_at", referral.intake_at)
        site = referral.partner.sites.first()
        default_place = f"{site.name}, {site.street}, {site.city}" if site else ""
        self.initial.setdefault("intake_place", referral.intake_place or default_place)

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.INTAKE_PLANNED and not data.get("intake_at"):
            self.add_error("intake_at", _("Give the date and time of the intake."))
        if data.get("status") == Status.STOPPED and not (data.get("stop_reason") or "").strip():
            self.add_error("stop_reason", _("Say why the referral stopped."))
        return data


class ReferralEnrolForm(forms.Form):
    target = forms.ChoiceField(label=_("Meeting or course run"))

    def __init__(self, *args, referral, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        now = now or timezone.now()
        programme = referral.programme
        upcoming = Session.objects.filter(starts_at__gte=now).exclude(status=Session.Status.CANCELLED)
        self.runs = {
            run.pk: run
            for run in CourseRun.objects.filter(programme=programme)
            .filter(Exists(upcoming.filter(run=OuterRef("pk"))))
            .annotate(first_start=Min("sessions__starts_at"))
            .order_by("first_start")
        }
        self.sessions = {
            session.pk: session
            for session in Session.objects.filter(programme=programme, run__isnull=True, starts_at__gte=now)
            .exclude(status=Session.Status.CANCELLED)
            .order_by("starts_at")[:60]
        }
        choices = []
        if self.runs:
            choices.append(
                (_("Course runs"), [(f"run:{pk}", self._run_label(run)) for pk, run in self.runs.items()])
            )
        if self.sessions:
            choices.append(
                (
                    _("Meetings"),
                    [(f"session:{pk}", self._session_label(s)) for pk, s in self.sessions.items()],
                )
            )
        self.fields["target"].choices = choices

    @staticmethod
    def _run_label(run):
        start = timezone.localtime(run.first_start) if run.first_start else None
        return f"{run.title} ({date_format(start, 'j F Y')})" if start else run.title

    @staticmethod
    def _session_label(session):
        start = timezone.localtime(session.starts_at)
        return f"{date_format(start, 'l j F Y')}, {start:%H:%M}" + (
            f" – {session.topic}" if session.topic else ""
        )

    def clean_target(self):
        kind, _sep, pk = self.cleaned_data["target"].partition(":")
        found = (self.runs if kind == "run" else self.sessions).get(int(pk)) if pk.isdigit() else None
        if found is None:
            raise forms.ValidationError(_("Choose a meeting or course run from the list."))
        return found
