from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .admin_views import staff_book
from .models import Appointment, AvailabilityBlock, CoachProfile, Slot
from .services import appointment_cancel, appointment_mark, block_slots_generate, coach_feed_revoke

_BLOCK_BOOKED = Q(slots__appointments__isnull=False) & ~Q(
    slots__appointments__status=Appointment.Status.CANCELLED
)


@admin.register(CoachProfile)
class CoachProfileAdmin(admin.ModelAdmin):
    list_display = ["worker", "public_title", "library", "account", "max_future_appointments", "is_active"]
    list_filter = ["is_active", "worker__library"]
    search_fields = ["worker__name", "public_title", "public_name"]
    autocomplete_fields = ["worker"]
    list_select_related = ["worker__library", "worker__user"]
    actions = ["new_feed_links"]

    @admin.display(description=_("library organisation"), ordering="worker__library__name")
    def library(self, obj):
        return obj.worker.library

    @admin.display(description=_("account"))
    def account(self, obj):
        return obj.worker.user or "—"

    @admin.action(description=_("Give the selected coaches a new calendar link (old links stop working)"))
    def new_feed_links(self, request, queryset):
        for coach in queryset:
            coach_feed_revoke(coach=coach)
        self.message_user(request, _("New calendar links made."), messages.SUCCESS)


class SlotInline(admin.TabularInline):
    model = Slot
    fields = ["starts_at", "ends_at", "is_withdrawn", "booking"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        booked = Appointment.objects.filter(slot=OuterRef("pk")).exclude(status=Appointment.Status.CANCELLED)
        return super().get_queryset(request).annotate(is_booked=Exists(booked))

    @admin.display(description=_("booked"))
    def booking(self, obj):
        if obj.is_booked:
            return _("Booked")
        if obj.is_withdrawn:
            return "—"
        url = reverse("admin:appointments_slot_book", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Book for someone"))


def _generation_message(result):
    text = _("Times: %(created)d made, %(removed)d removed, %(withdrawn)d no longer offered.") % {
        "created": result.created,
        "removed": result.removed,
        "withdrawn": result.withdrawn,
    }
    if result.kept_booked:
        text += " " + ngettext(
            "%(count)d booked time no longer fits the block; it was kept. Move or cancel that appointment.",
            "%(count)d booked times no longer fit the block; they were kept. Move or cancel those appointments.",
            len(result.kept_booked),
        ) % {"count": len(result.kept_booked)}
    return text


@admin.register(AvailabilityBlock)
class AvailabilityBlockAdmin(admin.ModelAdmin):
    list_display = [
        "date",
        "start_time",
        "end_time",
        "coach",
        "place",
        "programme",
        "times",
        "booked",
        "is_published",
    ]
    list_filter = ["is_published", "coach", "programme", "branch", "date"]
    search_fields = ["coach__worker__name", "topics", "branch__name", "partner_site__name"]
    list_select_related = ["coach__worker", "branch", "partner_site__partner", "programme"]
    date_hierarchy = "date"
    inlines = [SlotInline]
    actions = ["generate_slots"]
    fieldsets = [
        (None, {"fields": ["coach", "programme", "date", "start_time", "end_time"]}),
        (_("Place"), {"fields": ["branch", "partner_site", "room"]}),
        (_("Appointments"), {"fields": ["slot_minutes", "pause_minutes", "topics", "is_published"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_times=Count("slots", distinct=True),
                n_booked=Count("slots__appointments", filter=_BLOCK_BOOKED),
            )
        )

    @admin.display(description=_("place"))
    def place(self, obj):
        return obj.place

    @admin.display(description=_("times"), ordering="n_times")
    def times(self, obj):
        return obj.n_times

    @admin.display(description=_("booked"), ordering="n_booked")
    def booked(self, obj):
        return obj.n_booked

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.message_user(request, _generation_message(block_slots_generate(block=obj)), messages.INFO)

    @admin.action(description=_("Make the appointment times again (booked times are kept)"))
    def generate_slots(self, request, queryset):
        for block in queryset:
            self.message_user(request, f"{block}: {_generation_message(block_slots_generate(block=block))}")


class FreeFilter(admin.SimpleListFilter):
    title = _("booked")
    parameter_name = "vrij"

    def lookups(self, request, model_admin):
        return [("1", _("Free")), ("0", _("Booked"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(is_booked=False, is_withdrawn=False)
        if self.value() == "0":
            return queryset.filter(is_booked=True)
        return queryset


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "ends_at", "coach", "place", "is_booked", "is_withdrawn"]
    list_filter = [FreeFilter, "is_withdrawn", "block__coach"]
    search_fields = ["block__coach__worker__name", "block__branch__name"]
    list_select_related = ["block__coach__worker", "block__branch", "block__partner_site__partner"]
    date_hierarchy = "starts_at"
    readonly_fields = ["block", "starts_at", "ends_at", "is_withdrawn"]
    change_form_template = "appointments/admin/slot_change_form.html"

    def get_queryset(self, request):
        booked = Appointment.objects.filter(slot=OuterRef("pk")).exclude(status=Appointment.Status.CANCELLED)
        return super().get_queryset(request).annotate(is_booked=Exists(booked))

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.book_view)
        return [path("<int:pk>/book/", view, name="appointments_slot_book"), *super().get_urls()]

    def book_view(self, request, pk):
        return staff_book(self, request, pk)

    @admin.display(description=_("coach"))
    def coach(self, obj):
        return obj.block.coach

    @admin.display(description=_("place"))
    def place(self, obj):
        return obj.block.place

    @admin.display(description=_("booked"), boolean=True, ordering="is_booked")
    def is_booked(self, obj):
        return obj.is_booked


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "participant", "coach", "topic", "status", "source"]
    list_filter = ["status", "source", "slot__block__coach"]
    search_fields = ["participant__name", "participant__phone", "participant__email", "topic"]
    list_select_related = ["participant", "slot__block__coach__worker"]
    readonly_fields = [
        "slot",
        "participant",
        "topic",
        "status",
        "source",
        "booked_by",
        "cancelled_at",
        "created_at",
    ]
    fields = readonly_fields
    actions = ["cancel", "mark_attended", "mark_no_show"]
    change_list_template = "appointments/admin/appointment_change_list.html"

    def has_add_permission(self, request):
        # Staff book through a free time ("Book for someone"), so that the booking rules apply.
        return False

    @admin.display(description=_("time"), ordering="slot__starts_at")
    def starts_at(self, obj):
        return obj.slot

    @admin.display(description=_("coach"))
    def coach(self, obj):
        return obj.slot.block.coach

    @admin.action(description=_("Cancel the selected appointments (the person gets a message)"))
    def cancel(self, request, queryset):
        count = 0
        for appointment in queryset.exclude(status=Appointment.Status.CANCELLED):
            appointment_cancel(appointment=appointment)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d appointment cancelled.", "%(count)d appointments cancelled.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def _mark(self, request, queryset, status):
        for appointment in queryset.exclude(status=Appointment.Status.CANCELLED):
            appointment_mark(appointment=appointment, status=status)
        self.message_user(request, _("Marked."), messages.SUCCESS)

    @admin.action(description=_("Mark: came"))
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, Appointment.Status.ATTENDED)

    @admin.action(description=_("Mark: did not come"))
    def mark_no_show(self, request, queryset):
        self._mark(request, queryset, Appointment.Status.NO_SHOW)
