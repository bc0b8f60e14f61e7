from datetime import datetime, time, timedelta

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Prefetch, Q
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from certificates.admin_links import CERTIFICATES_TEMPLATE, certificates_for_run
from partners.models import PartnerSite
from portal.paginators import EstimatedCountPaginator
from portal.quick_admin import QuickListMixin
from portal.scoping import RenderedOnceFilterMixin, choice_labels, scope_queryset
from programmes.models import Branch

from .admin_checkin import SessionCheckInMixin
from .admin_views import staff_message, staff_sign_up
from .models import CourseRun, Registration, Session, SessionRole
from .selectors import session_seat_annotations
from .services import registration_cancel, registration_waitlist_fill, session_changes_notify


class HostFilter(admin.SimpleListFilter):
    title = _("host")
    parameter_name = "host"

    def lookups(self, request, model_admin):
        return [("no", _("No host yet")), ("yes", _("Has a host"))]

    def queryset(self, request, queryset):
        with_host = Q(roles__role=SessionRole.Role.HOST)
        if self.value() == "no":
            return queryset.exclude(pk__in=Session.objects.filter(with_host).values("pk"))
        if self.value() == "yes":
            return queryset.filter(pk__in=Session.objects.filter(with_host).values("pk"))
        return queryset


class WhenFilter(admin.SimpleListFilter):
    """Opens on the meetings to come: staff plan ahead, and two years of past meetings come first otherwise."""

    title = _("when")
    parameter_name = "when"
    default = "coming"

    def lookups(self, request, model_admin):
        return [
            ("coming", _("Coming up")),
            ("this_week", _("This week")),
            ("next_week", _("Next week")),
            ("this_month", _("This month")),
            ("past", _("Past")),
            ("all", _("All dates")),
        ]

    def value(self):
        return super().value() or self.default

    def choices(self, changelist):
        # No "All" that removes the parameter: without it the list shows the default.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        now = timezone.now()
        today = timezone.localdate(now)
        monday = today - timedelta(days=today.weekday())
        first = today.replace(day=1)
        next_month = (first + timedelta(days=32)).replace(day=1)
        ranges = {
            "this_week": (monday, monday + timedelta(days=7)),
            "next_week": (monday + timedelta(days=7), monday + timedelta(days=14)),
            "this_month": (first, next_month),
        }
        if self.value() == "coming":
            # The start bound lets the index on starts_at do the work; no meeting lasts a day.
            return queryset.filter(starts_at__gte=now - timedelta(days=1), ends_at__gte=now)
        if self.value() == "past":
            return queryset.filter(ends_at__lt=now)
        if self.value() in ranges:
            start, end = (
                timezone.make_aware(datetime.combine(day, time.min)) for day in ranges[self.value()]
            )
            return queryset.filter(starts_at__gte=start, starts_at__lt=end)
        return queryset


class StaffSignUpMixin:
    """A "sign someone up" page per meeting or course run, linked from its change page."""

    change_form_template = "admin/sessions/change_form_with_sign_up.html"
    sign_up_for_run = False

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        urls = [
            path("<int:pk>/sign-up/", self.admin_site.admin_view(self.sign_up_view), name=f"{prefix}_sign_up")
        ]
        if not self.sign_up_for_run:
            view = self.admin_site.admin_view(self.message_view)
            urls.append(path("<int:pk>/message/", view, name=f"{prefix}_message"))
        return [*urls, *super().get_urls()]

    def message_view(self, request, pk):
        return staff_message(self, request, pk)

    def sign_up_view(self, request, pk):
        return staff_sign_up(self, request, pk, run=self.sign_up_for_run)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and not self.sign_up_for_run:
            told = session_changes_notify(
                session=obj,
                old_starts_at=form.initial.get("starts_at"),
                old_status=form.initial.get("status"),
            )
            if told:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d person signed up will get a message about this change.",
                        "%(count)d people signed up will get a message about this change.",
                        told,
                    )
                    % {"count": told},
                    messages.INFO,
                )
        if change and "capacity" in form.changed_data:
            promoted = registration_waitlist_fill(**{"run" if self.sign_up_for_run else "session": obj})
            if promoted:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d person moved from the waiting list to a place.",
                        "%(count)d people moved from the waiting list to a place.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                    messages.SUCCESS,
                )


class SessionRoleInline(admin.TabularInline):
    model = SessionRole
    extra = 1
    autocomplete_fields = ["worker"]


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["participant", "status", "source", "help_wanted", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["participant"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participant")


@admin.register(Session)
class SessionAdmin(QuickListMixin, SessionCheckInMixin, StaffSignUpMixin, admin.ModelAdmin):
    list_display = [
        "starts_at",
        "programme",
        "topic",
        "place_display",
        "host_display",
        "places",
        "seats_taken",
        "waitlist_size",
        "status",
    ]
    list_filter = [WhenFilter, "status", HostFilter, "programme__library", "programme", "branch"]
    search_fields = ["topic", "programme__name", "branch__name", "partner_site__name"]
    # A "when" filter instead of date_hierarchy, whose year list scans every meeting.
    show_full_result_count = False
    list_per_page = 50
    paginator = EstimatedCountPaginator
    # Explicit: the seat counts group the query, and grouped queries ignore Meta.ordering.
    ordering = ["starts_at", "pk"]
    autocomplete_fields = ["programme", "run", "branch", "partner_site"]
    # Two joins; the places come with the hosts in small queries of their own (list_rows): the
    # planner takes longer over a join of six tables than over three short queries.
    list_select_related = ["programme", "run"]
    # What the columns (and each row's name, "programme – start") read; see QuickListMixin.
    list_only = [
        "starts_at",
        "topic",
        "status",
        "capacity",
        "online_url",
        "branch",
        "partner_site",
        "programme__name",
        "run__capacity",
    ]
    inlines = [SessionRoleInline, RegistrationInline]
    fieldsets = [
        (None, {"fields": ["programme", "run", "topic", "description", "status", "cancellation_reason"]}),
        (_("When"), {"fields": ["starts_at", "ends_at"]}),
        (_("Where"), {"fields": ["branch", "partner_site", "room", "online_url"]}),
        (_("Sign-up"), {"fields": ["capacity", "registration_opens_at", "registration_closes_at"]}),
        (_("Content"), {"fields": ["show_speakers", "materials"]}),
        (
            _("Numbers after the meeting"),
            {"fields": ["count_registered", "count_present", "count_walk_ins", "count_no_show", "closed_at"]},
        ),
    ]
    readonly_fields = ["count_registered", "count_present", "count_walk_ins", "count_no_show", "closed_at"]
    filter_horizontal = ["materials"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(**session_seat_annotations())

    def get_ordering(self, request):
        # Looking back, the latest meetings matter most.
        if request.GET.get(WhenFilter.parameter_name) == "past":
            return ["-starts_at", "-pk"]
        return super().get_ordering(request)

    def list_rows(self, request, queryset):
        # For the rows shown: their place and their hosts, by name (nothing else of those rows).
        hosts = (
            SessionRole.objects.filter(role=SessionRole.Role.HOST)
            .select_related("worker")
            .only("session_id", "worker__name")
            .order_by("pk")
        )
        queryset = queryset.prefetch_related(
            Prefetch("branch", queryset=Branch.objects.only("name")),
            Prefetch(
                "partner_site",
                queryset=PartnerSite.objects.select_related("partner").only("name", "partner__name"),
            ),
            Prefetch("roles", queryset=hosts, to_attr="host_roles"),
        )
        return super().list_rows(request, queryset)

    @admin.display(description=_("place"))
    def place_display(self, obj):
        return obj.place or _("Online")

    @admin.display(description=_("host"))
    def host_display(self, obj):
        roles = getattr(obj, "host_roles", None)
        if roles is None:  # not from the list's page of rows
            roles = obj.roles.filter(role=SessionRole.Role.HOST).select_related("worker").order_by("pk")
        hosts = [role.worker.name for role in roles]
        if hosts:
            return ", ".join(hosts)
        if obj.status == Session.Status.CANCELLED:
            return "–"
        return format_html('<strong class="no-host">{}</strong>', _("No host!"))

    @admin.display(description=_("places"))
    def places(self, obj):
        return obj.seat_capacity if obj.seat_capacity is not None else "∞"

    @admin.display(description=_("signed up"), ordering="seats_taken")
    def seats_taken(self, obj):
        return obj.seats_taken

    @admin.display(description=_("waiting list"), ordering="waitlist_size")
    def waitlist_size(self, obj):
        return obj.waitlist_size


class RunSessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["starts_at", "ends_at", "branch", "partner_site", "topic", "status"]
    autocomplete_fields = ["branch", "partner_site"]
    show_change_link = True


class RunRegistrationInline(RegistrationInline):
    fk_name = "run"


@admin.register(CourseRun)
class CourseRunAdmin(StaffSignUpMixin, admin.ModelAdmin):
    sign_up_for_run = True
    change_form_template = CERTIFICATES_TEMPLATE  # adds "Certificates for this run"
    actions = [certificates_for_run]
    list_display = ["title", "programme", "capacity", "meeting_count", "enrolled"]
    list_filter = ["programme__library", "programme"]
    search_fields = ["title", "programme__name"]
    ordering = ["-created_at", "pk"]
    autocomplete_fields = ["programme"]
    list_select_related = ["programme"]
    inlines = [RunSessionInline, RunRegistrationInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                meeting_total=Count("sessions", distinct=True),
                enrolled_total=Count(
                    "registrations",
                    filter=Q(registrations__status__in=Registration.SEATED),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("meetings"), ordering="meeting_total")
    def meeting_count(self, obj):
        return obj.meeting_total

    @admin.display(description=_("enrolled"), ordering="enrolled_total")
    def enrolled(self, obj):
        return obj.enrolled_total


class RegistrationLibraryFilter(RenderedOnceFilterMixin, admin.SimpleListFilter):
    """By library, for sign-ups to a single meeting and to a whole course run alike."""

    title = _("library organisation")
    parameter_name = "library"

    def lookups(self, request, model_admin):
        from programmes.models import Library

        return choice_labels(scope_queryset(Library.objects.order_by("name"), request.user))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                Q(session__programme__library_id=self.value()) | Q(run__programme__library_id=self.value())
            )
        return queryset


class RegistrationAdminForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["participant", "session", "run", "status", "source", "help_wanted", "referral"]

    def clean(self):
        data = super().clean()
        if data.get("status") == Registration.Status.CANCELLED and not self.instance.cancelled_at:
            self.instance.cancelled_at = timezone.now()
        return data


@admin.register(Registration)
class RegistrationAdmin(QuickListMixin, admin.ModelAdmin):
    form = RegistrationAdminForm
    list_display = ["participant", "session", "run", "status", "source", "created_at"]
    list_filter = [
        "status",
        "source",
        RegistrationLibraryFilter,
        "session__programme",
        "run",
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["participant__name", "participant__email", "participant__phone", "session__topic"]
    # No date_hierarchy: over millions of sign-ups its year list alone is a full scan.
    show_full_result_count = False
    list_per_page = 50
    paginator = EstimatedCountPaginator
    # The latest sign-ups first: those are the ones staff act on.
    ordering = ["-created_at", "-pk"]
    autocomplete_fields = ["participant", "session", "run", "referral"]
    # The meetings come in a query of their own (list_rows): joined with their programmes in the
    # page's query, they make it several times slower.
    list_select_related = ["participant", "run"]
    # What the columns (and each row's name, "participant – meeting or run") read; see QuickListMixin.
    list_only = [
        "status",
        "source",
        "created_at",
        "session",
        "participant__name",
        "participant__anonymised_at",
        "run__title",
    ]
    readonly_fields = ["public_id", "cancelled_at", "created_at", "updated_at"]
    actions = ["cancel_registrations"]

    def list_rows(self, request, queryset):
        meetings = Session.objects.select_related("programme").only("starts_at", "programme__name")
        return super().list_rows(request, queryset.prefetch_related(Prefetch("session", queryset=meetings)))

    def save_model(self, request, obj, form, change):
        # Cancelling goes through the service, so that the waiting list moves up.
        if change and obj.status == Registration.Status.CANCELLED and "status" in form.changed_data:
            obj.status = form.initial["status"]
            super().save_model(request, obj, form, change)
            registration_cancel(registration=obj)
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Cancel the selected registrations (the waiting list moves up)"))
    def cancel_registrations(self, request, queryset):
        cancelled = 0
        for registration in queryset.exclude(status=Registration.Status.CANCELLED):
            registration_cancel(registration=registration)
            cancelled += 1
        self.message_user(
            request,
            ngettext("%(count)d registration cancelled.", "%(count)d registrations cancelled.", cancelled)
            % {"count": cancelled},
            messages.SUCCESS,
        )
