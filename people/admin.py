from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sessions.models import Registration

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
    list_display = ["name", "library", "phone", "email", "preferred_channel", "created_at"]
    list_filter = ["library", "preferred_channel", "language", "registered_at_desk"]
    search_fields = ["name", "phone", "email"]
    autocomplete_fields = ["library", "user"]
    list_select_related = ["library"]
    readonly_fields = ["created_at", "updated_at", "last_activity_at"]
    inlines = [ConsentInline, ParticipantRegistrationInline]
    actions = ["withdraw_report_consent", "withdraw_all_consent"]

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
