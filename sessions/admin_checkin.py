"""The day of a meeting in the admin: check-in at the door, a printable list, walk-in tallies.

`SessionCheckInMixin` goes in front of `SessionAdmin`'s bases and adds three pages per meeting:
`<pk>/check-in/`, `<pk>/check-in/print/` and `<pk>/tally/`. Plain forms and big buttons: they work
on a tablet at the door, by keyboard, and without JavaScript.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.models import Worker

from .checkin_selectors import (
    checkin_overview,
    session_target_registrations,
    walk_in_tally_for_session,
    walk_in_volunteer_on_duty,
)
from .models import Attendance, Session, WalkInVisit
from .services import (
    AttendanceNotPossible,
    attendance_mark,
    attendance_walk_in_add,
    session_close,
    walk_in_visit_delete,
    walk_in_visit_record,
)

# --- Forms ----------------------------------------------------------------------------------------


class WalkInForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=150,
        help_text=gettext_lazy("A first name is enough. Do not ask for anything else."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
    )


class TopicsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", WalkInVisit.Topic.choices)
        kwargs.setdefault("label", gettext_lazy("What did they want help with?"))
        super().__init__(**kwargs)


class TallyForm(forms.Form):
    number_of_people = forms.IntegerField(
        label=gettext_lazy("Number of people"),
        min_value=1,
        max_value=50,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    topics = TopicsField(error_messages={"required": gettext_lazy("Tick at least one topic.")})
    volunteer = forms.ModelChoiceField(
        label=gettext_lazy("Volunteer on duty"), queryset=Worker.objects.none(), required=False
    )

    def __init__(self, *args, library, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = Worker.objects.filter(library=library, is_active=True)


class WalkInVisitAdminForm(forms.ModelForm):
    topics = TopicsField(label=gettext_lazy("topics"))

    class Meta:
        model = WalkInVisit
        fields = ["date", "branch", "programme", "session", "number_of_people", "topics", "volunteer"]


# --- Pages ----------------------------------------------------------------------------------------


def _admin_url(model_admin, name, pk):
    return reverse(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_{name}", args=[pk])


def _session_for(model_admin, request, pk):
    """The meeting, only when this staff member may see it (the admin's own, library-scoped queryset)."""
    queryset = model_admin.get_queryset(request).select_related(
        "programme__library", "branch", "partner_site__partner", "run"
    )
    session = get_object_or_404(queryset, pk=pk)
    if not model_admin.has_view_or_change_permission(request, session):
        raise PermissionDenied
    return session


def _perm(request, codename):
    return request.user.has_perm(f"{Attendance._meta.app_label}.{codename}")


class DayPermissions:
    """What a staff member may do on the day of a meeting.

    Whoever may change the meeting may do everything. A host or volunteer who may only see the
    meeting (the "Gastheer of vrijwilliger" group) may still mark attendance when they have the
    attendance permissions, and add walk-ins when they may also add registrations; closing the
    meeting (which changes registrations) is left to those who may change the meeting.
    """

    def __init__(self, model_admin, request, session):
        change = model_admin.has_change_permission(request, session)
        self.mark = change or (_perm(request, "add_attendance") and _perm(request, "change_attendance"))
        self.walk_in = self.mark and (change or _perm(request, "add_registration"))
        self.close = change


def _context(model_admin, request, session, title, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        # A tablet at the door: the whole width for the list.
        "is_nav_sidebar_enabled": False,
        "opts": model_admin.opts,
        "original": session,
        "session": session,
        "title": title,
        **extra,
    }


def check_in(model_admin, request, pk):
    session = _session_for(model_admin, request, pk)
    may = DayPermissions(model_admin, request, session)
    if not may.mark:
        raise PermissionDenied
    url = _admin_url(model_admin, "check_in", pk)
    if session.programme.is_walk_in:
        return redirect(_admin_url(model_admin, "tally", pk))
    walk_in_form = WalkInForm(prefix="walk_in")
    if request.method == "POST":
        action = request.POST.get("action")
        if (action == "walk_in" and not may.walk_in) or (action == "close" and not may.close):
            raise PermissionDenied
        try:
            if action == "mark":
                registration = get_object_or_404(
                    session_target_registrations(session=session), pk=request.POST.get("registration") or 0
                )
                status = request.POST.get("status")
                if status not in Attendance.Status.values:
                    return HttpResponseBadRequest()
                attendance_mark(session=session, registration=registration, status=status, user=request.user)
                return redirect(f"{url}#person-{registration.pk}")
            if action == "walk_in":
                walk_in_form = WalkInForm(request.POST, prefix="walk_in")
                if walk_in_form.is_valid():
                    attendance = attendance_walk_in_add(
                        session=session, name=walk_in_form.cleaned_data["name"], user=request.user
                    )
                    model_admin.message_user(
                        request,
                        _("%(name)s is on the list as present.")
                        % {"name": attendance.registration.participant},
                        messages.SUCCESS,
                    )
                    return redirect(f"{url}#person-{attendance.registration_id}")
            elif action == "close":
                if request.POST.get("confirmed") != "yes":
                    return redirect(f"{url}?step=close")
                closed = session_close(session=session, user=request.user)
                model_admin.message_user(
                    request,
                    _(
                        "The meeting is closed: %(present)d present, of whom %(walk_ins)d walked in; "
                        "%(no_show)d did not come."
                    )
                    % {
                        "present": closed.count_present,
                        "walk_ins": closed.count_walk_ins,
                        "no_show": closed.count_no_show,
                    },
                    messages.SUCCESS,
                )
                return redirect(f"{url}#numbers")
            else:
                return HttpResponseBadRequest()
        except AttendanceNotPossible as refused:
            model_admin.message_user(request, refused.message, messages.ERROR)
            return redirect(url)
    overview = checkin_overview(session=session)
    started = session.starts_at <= timezone.now()
    is_cancelled = session.status == Session.Status.CANCELLED
    context = _context(
        model_admin,
        request,
        session,
        _("Check-in: %(session)s") % {"session": session},
        overview=overview,
        walk_in_form=walk_in_form,
        statuses=Attendance.Status.choices,
        check_in_url=url,
        print_url=_admin_url(model_admin, "check_in_print", pk),
        change_url=_admin_url(model_admin, "change", pk),
        can_close=started and not is_cancelled and may.close,
        may=may,
        started=started,
        is_cancelled=is_cancelled,
    )
    if request.GET.get("step") == "close" and context["can_close"]:
        context["title"] = _("Close the meeting?")
        return TemplateResponse(request, "admin/sessions/checkin/close_confirm.html", context)
    return TemplateResponse(request, "admin/sessions/checkin/check_in.html", context)


def check_in_print(model_admin, request, pk):
    session = _session_for(model_admin, request, pk)
    overview = checkin_overview(session=session)
    context = {
        "session": session,
        "title": _("Attendance list: %(session)s") % {"session": session},
        "rows": overview.rows,
        "blank_rows": range(6),
        "check_in_url": _admin_url(model_admin, "check_in", pk),
    }
    return TemplateResponse(request, "admin/sessions/checkin/print.html", context)


def _may_remove(request, visit):
    """Staff who may delete visits, and anyone taking back a visit they counted themselves."""
    return _perm(request, "delete_walkinvisit") or visit.created_by_id == request.user.pk


def tally(model_admin, request, pk):
    session = _session_for(model_admin, request, pk)
    if not _perm(request, "add_walkinvisit"):
        raise PermissionDenied
    if not session.programme.is_walk_in:
        return redirect(_admin_url(model_admin, "check_in", pk))
    url = _admin_url(model_admin, "tally", pk)
    library = session.programme.library
    today = walk_in_tally_for_session(session=session)
    on_duty = walk_in_volunteer_on_duty(session=session, visits=today["entries"])
    form = TallyForm(library=library, initial={"volunteer": on_duty})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "quick":
                topic = request.POST.get("topic")
                if topic not in WalkInVisit.Topic.values:
                    return HttpResponseBadRequest()
                walk_in_visit_record(
                    session=session, number_of_people=1, topics=[topic], volunteer=on_duty, user=request.user
                )
                return redirect(f"{url}#counted")
            if action == "add":
                form = TallyForm(request.POST, library=library)
                if form.is_valid():
                    walk_in_visit_record(session=session, user=request.user, **form.cleaned_data)
                    return redirect(f"{url}#counted")
            elif action == "remove":
                visit = get_object_or_404(session.walk_in_visits, pk=request.POST.get("visit") or 0)
                if not _may_remove(request, visit):
                    raise PermissionDenied
                walk_in_visit_delete(visit=visit)
                model_admin.message_user(request, _("The visit is taken off the count."), messages.SUCCESS)
                return redirect(f"{url}#counted")
            else:
                return HttpResponseBadRequest()
        except AttendanceNotPossible as refused:
            model_admin.message_user(request, refused.message, messages.ERROR)
            return redirect(url)
    context = _context(
        model_admin,
        request,
        session,
        _("Count walk-in visitors: %(session)s") % {"session": session},
        form=form,
        today=today,
        topic_totals=list(today["topics"].items()),
        topics=WalkInVisit.Topic.choices,
        on_duty=on_duty,
        tally_url=url,
        change_url=_admin_url(model_admin, "change", pk),
    )
    for visit in today["entries"]:
        visit.may_remove = _may_remove(request, visit)
    return TemplateResponse(request, "admin/sessions/checkin/tally.html", context)


class SessionCheckInMixin:
    """Check-in, a printable attendance list and the walk-in tally for a meeting (before ModelAdmin)."""

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        urls = [
            path("<int:pk>/check-in/", wrap(self.check_in_view), name=f"{prefix}_check_in"),
            path("<int:pk>/check-in/print/", wrap(self.check_in_print_view), name=f"{prefix}_check_in_print"),
            path("<int:pk>/tally/", wrap(self.tally_view), name=f"{prefix}_tally"),
        ]
        return [*urls, *super().get_urls()]

    def check_in_view(self, request, pk):
        return check_in(self, request, pk)

    def check_in_print_view(self, request, pk):
        return check_in_print(self, request, pk)

    def tally_view(self, request, pk):
        return tally(self, request, pk)


# --- Walk-in visits in the admin -------------------------------------------------------------------


@admin.register(WalkInVisit)
class WalkInVisitAdmin(admin.ModelAdmin):
    form = WalkInVisitAdminForm
    list_display = ["date", "branch", "programme", "number_of_people", "topics_display", "volunteer"]
    list_filter = [
        ("branch", admin.RelatedOnlyFieldListFilter),
        "date",
        ("programme", admin.RelatedOnlyFieldListFilter),
    ]
    date_hierarchy = "date"
    search_fields = ["branch__name", "programme__name", "volunteer__name"]
    list_select_related = ["branch", "programme", "volunteer"]
    autocomplete_fields = ["session", "volunteer"]
    readonly_fields = ["created_by", "created_at"]
    fieldsets = [
        (None, {"fields": ["date", "branch", "programme", "session", "volunteer"]}),
        (gettext_lazy("Count"), {"fields": ["number_of_people", "topics"]}),
        (gettext_lazy("Counted by and when"), {"fields": ["created_by", "created_at"]}),
    ]

    @admin.display(description=gettext_lazy("topics"))
    def topics_display(self, obj):
        return ", ".join(str(label) for label in obj.topic_labels)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
