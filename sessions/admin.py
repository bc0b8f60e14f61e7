from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import CourseRun, Registration, Session, SessionRole
from .selectors import session_seat_annotations


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
class SessionAdmin(admin.ModelAdmin):
    list_display = [
        "starts_at",
        "programme",
        "topic",
        "place_display",
        "capacity",
        "seats_taken",
        "waitlist_size",
        "status",
    ]
    list_filter = ["status", "programme__library", "programme", "branch"]
    search_fields = ["topic", "programme__name", "branch__name", "partner_site__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["programme", "run", "branch", "partner_site"]
    list_select_related = ["programme", "branch", "partner_site__partner"]
    inlines = [SessionRoleInline, RegistrationInline]
    fieldsets = [
        (None, {"fields": ["programme", "run", "topic", "description", "status", "cancellation_reason"]}),
        (_("When"), {"fields": ["starts_at", "ends_at"]}),
        (_("Where"), {"fields": ["branch", "partner_site", "room", "online_url"]}),
        (_("Sign-up"), {"fields": ["capacity", "registration_opens_at", "registration_closes_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(**session_seat_annotations())

    @admin.display(description=_("place"))
    def place_display(self, obj):
        return obj.place or _("Online")

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
class CourseRunAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "capacity", "meeting_count", "enrolled"]
    list_filter = ["programme__library", "programme"]
    search_fields = ["title", "programme__name"]
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


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["participant", "session", "run", "status", "source", "created_at"]
    list_filter = ["status", "source", "session__programme__library", "session__programme"]
    search_fields = ["participant__name", "participant__email", "participant__phone", "session__topic"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["participant", "session", "run", "referral"]
    list_select_related = ["participant", "session__programme", "run"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
