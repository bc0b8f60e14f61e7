from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sessions.forms import SessionSeriesForm
from sessions.models import Session, SessionRole
from sessions.selectors import session_roster
from sessions.services import session_series_create

from .models import Branch, Library, LibraryMembership, Programme, ProgrammeMaterial


class RunSeriesForm(SessionSeriesForm):
    """For a course or reading circle: the run may close with an activity, as its last meeting."""

    closing_activity = forms.CharField(
        label=_("closing activity"),
        max_length=200,
        required=False,
        help_text=_(
            "For example: we watch the film of the book, or do a quiz, and hand out the diplomas. "
            "It becomes the topic of the last meeting."
        ),
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, programme=programme, **kwargs)
        if not self.is_bound and not self.initial.get("branch"):
            # Held at a partner's site (the reading circle at Relim): offer that site when it is the only one.
            delivering = programme.delivering_partners.all()
            sites = list(self.fields["partner_site"].queryset.filter(partner__in=delivering)[:2])
            if len(sites) == 1:
                self.initial["partner_site"] = sites[0].pk


class BranchInline(admin.StackedInline):
    model = Branch
    extra = 0
    fields = ["name", "slug", "street", "postcode", "city", "phone", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True


class MembershipInline(admin.TabularInline):
    model = LibraryMembership
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name_plural = _("staff who see this library's data")


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ["name", "website", "email", "phone"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BranchInline, MembershipInline]


class UserMembershipInline(admin.TabularInline):
    model = LibraryMembership
    extra = 0
    autocomplete_fields = ["library"]
    verbose_name_plural = _("libraries whose data this person sees")


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class PortalUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, UserMembershipInline]
    list_filter = [*UserAdmin.list_filter, "library_memberships__library"]


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name", "library", "city", "postcode", "is_active"]
    list_filter = ["library", "is_active", "city"]
    search_fields = ["name", "city", "street", "postcode", "library__name"]
    autocomplete_fields = ["library"]
    prepopulated_fields = {"slug": ["name"]}


class MaterialInline(admin.TabularInline):
    model = ProgrammeMaterial
    extra = 0
    fields = ["title", "kind", "provider", "url", "file"]
    autocomplete_fields = ["provider"]


class UpcomingSessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["starts_at", "ends_at", "branch", "partner_site", "topic", "capacity", "status"]
    autocomplete_fields = ["branch", "partner_site"]
    show_change_link = True
    verbose_name_plural = _("meetings from last week on")
    ordering = ["starts_at"]
    max_num = 0
    can_delete = False
    readonly_fields = fields

    def get_queryset(self, request):
        since = timezone.now() - timedelta(days=7)
        return (
            super()
            .get_queryset(request)
            .filter(ends_at__gte=since)
            .select_related("branch", "partner_site__partner")
        )


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "library",
        "format",
        "rhythm",
        "language_level",
        "delivery",
        "default_capacity",
        "registration_required",
        "accepts_referrals",
        "is_published",
    ]
    list_filter = [
        "library",
        "format",
        "delivery",
        "rhythm",
        "language_level",
        "language_group",
        "registration_required",
        "accepts_referrals",
        "is_published",
    ]
    search_fields = ["name", "summary", "description", "library__name"]
    autocomplete_fields = ["library", "default_branch", "referring_partners", "delivering_partners"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["library"]
    inlines = [MaterialInline, UpcomingSessionInline]
    actions = ["generate_sessions"]
    fieldsets = [
        (None, {"fields": ["library", "name", "slug", "summary", "description", "is_published"]}),
        (
            _("Who and how"),
            {
                "fields": [
                    "format",
                    "audience",
                    "language_level",
                    "language_group",
                    "delivery",
                    "rhythm",
                    "number_of_meetings",
                    "session_duration",
                    "default_branch",
                    "default_capacity",
                    "what_to_bring",
                ]
            },
        ),
        (
            _("Sign-up and referrals"),
            {
                "fields": [
                    "registration_required",
                    "accepts_referrals",
                    "referring_partners",
                    "delivering_partners",
                ]
            },
        ),
        (_("Messages"), {"fields": ["reminder_hours", "online_link_minutes_before"]}),
        (_("Certificate"), {"fields": ["certificate_min_attendance"]}),
    ]

    change_form_template = "admin/programmes/programme/change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:pk>/generate-sessions/",
                self.admin_site.admin_view(self.generate_sessions_view),
                name="programmes_programme_generate_sessions",
            ),
            path(
                "<int:pk>/roster/",
                self.admin_site.admin_view(self.roster_view),
                name="programmes_programme_roster",
            ),
            *super().get_urls(),
        ]

    def roster_view(self, request, pk):
        programme = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, programme):
            raise PermissionDenied
        sessions = session_roster(programme=programme)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": programme,
            "title": _("Who is on duty: %(name)s") % {"name": programme.name},
            "sessions": sessions,
            "roles": SessionRole.Role.choices,
            "without_host": sum(
                1 for s in sessions if not s.has_host and s.status != Session.Status.CANCELLED
            ),
        }
        return TemplateResponse(request, "admin/programmes/programme/roster.html", context)

    @admin.action(description=_("Plan a run of meetings from a rhythm"))
    def generate_sessions(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one programme."), messages.WARNING)
            return None
        return redirect("admin:programmes_programme_generate_sessions", pk=queryset.get().pk)

    def generate_sessions_view(self, request, pk):
        programme = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, programme):
            raise PermissionDenied
        form_class = RunSeriesForm if programme.is_enrolment else SessionSeriesForm
        form = form_class(request.POST or None, programme=programme)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                sessions = session_series_create(
                    programme=programme,
                    first_start=data["first_start"],
                    duration=form.duration,
                    rhythm=data["rhythm"],
                    count=data["count"],
                    branch=data["branch"],
                    partner_site=data["partner_site"],
                    online_url=data["online_url"],
                    capacity=data["capacity"],
                    topic=data["topic"],
                    run_title=data["run_title"],
                    closing_activity=data.get("closing_activity", ""),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    ngettext("%(count)d meeting planned.", "%(count)d meetings planned.", len(sessions))
                    % {"count": len(sessions)},
                    messages.SUCCESS,
                )
                return redirect(
                    reverse("admin:programme_sessions_session_changelist") + f"?programme__id__exact={pk}"
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": programme,
            "title": _("Plan meetings for %(name)s") % {"name": programme.name},
            "form": form,
            "media": self.media + form.media,
            "intro": [
                _(
                    "Describe the rhythm once. The meetings are made for you and can be changed one by one afterwards."
                ),
                *(
                    [
                        _(
                            "This is a course: the meetings form one course run, and one sign-up counts for all of them."
                        )
                    ]
                    if programme.is_enrolment
                    else []
                ),
            ],
            "submit_label": _("Plan the meetings"),
        }
        return TemplateResponse(request, "admin/form_page.html", context)


@admin.register(ProgrammeMaterial)
class ProgrammeMaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "kind", "provider"]
    list_filter = ["kind", "programme__library"]
    search_fields = ["title", "programme__name"]
    autocomplete_fields = ["programme", "provider"]
    list_select_related = ["programme", "provider"]
