from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.paginators import EstimatedCountPaginator
from sessions.models import Registration

from .admin_views import (
    ERASE_PERMISSION,
    EXPORT_PERMISSION,
    participant_erase_view,
    participant_export_view,
)
from .models import Consent, Participant, Worker
from .services import consent_withdraw


def _withdrawn_message(modeladmin, request, count):
    modeladmin.message_user(
        request,
        ngettext("%(count)d consent withdrawn.", "%(count)d consents withdrawn.", count) % {"count": count},
        messages.SUCCESS,
    )


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["purpose", "method", "given_at", "withdrawn_at", "text"]


class ParticipantRegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["session", "run", "status", "source", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["session", "run"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session__programme", "run")


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "library",
        "phone",
        "email",
        "preferred_channel",
        "created_at",
        "anonymised_at",
    ]
    list_filter = ["library", "preferred_channel", "language", "registered_at_desk", "anonymised_at"]
    search_fields = ["name", "phone", "email"]
    autocomplete_fields = ["library", "user"]
    list_select_related = ["library"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    readonly_fields = ["created_at", "updated_at", "last_activity_at", "anonymised_at"]
    inlines = [ConsentInline, ParticipantRegistrationInline]
    actions = ["withdraw_report_consent", "withdraw_all_consent"]
    change_form_template = "admin/people/participant/change_form.html"

    @admin.display(description=_("name"), ordering="name")
    def display_name(self, obj):
        return str(obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/export/", view(self.export_view), name="people_participant_export"),
            path("<int:pk>/erase/", view(self.erase_view), name="people_participant_erase"),
            *super().get_urls(),
        ]

    def export_view(self, request, pk):
        return participant_export_view(self, request, pk)

    def erase_view(self, request, pk):
        return participant_erase_view(self, request, pk)

    def render_change_form(self, request, context, *args, **kwargs):
        context["can_export"] = request.user.has_perm(EXPORT_PERMISSION)
        context["can_erase"] = request.user.has_perm(ERASE_PERMISSION)
        return super().render_change_form(request, context, *args, **kwargs)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # Deleting a person would also delete their sign-ups and so change the counts: erase instead.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def has_change_permission(self, request, obj=None):
        # Nothing is left to change on an anonymised record, and nothing may be put back.
        if obj is not None and obj.anonymised_at:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.anonymised_at or obj.registrations.exists() or obj.referrals.exists()):
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(
        permissions=["change"], description=_("Withdraw consent to report back to the referrer (from now on)")
    )
    def withdraw_report_consent(self, request, queryset):
        count = sum(
            consent_withdraw(participant=participant, purpose=Consent.Purpose.REPORT_TO_REFERRER)
            for participant in queryset
        )
        _withdrawn_message(self, request, count)

    @admin.action(permissions=["change"], description=_("Withdraw all consent (from now on)"))
    def withdraw_all_consent(self, request, queryset):
        _withdrawn_message(self, request, sum(consent_withdraw(participant=p) for p in queryset))


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "library", "organisation", "email", "phone", "is_active"]
    list_filter = ["kind", "library", "is_active"]
    search_fields = ["name", "topics", "email"]
    autocomplete_fields = ["library", "organisation", "user"]
    list_select_related = ["library", "organisation"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["participant", "purpose", "method", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "method"]
    search_fields = ["participant__name"]
    date_hierarchy = "given_at"
    autocomplete_fields = ["participant"]
    list_select_related = ["participant"]
    actions = ["withdraw"]

    @admin.action(permissions=["change"], description=_("Withdraw the selected consents (from now on)"))
    def withdraw(self, request, queryset):
        count = sum(
            consent_withdraw(participant=consent.participant, purpose=consent.purpose)
            for consent in queryset.filter(withdrawn_at__isnull=True).select_related("participant")
        )
        _withdrawn_message(self, request, count)
