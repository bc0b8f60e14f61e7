import smtplib

from django.contrib import admin, messages
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .admin_views import referral_enrol_view, referral_status_view
from .models import (
    Agreement,
    PartnerContact,
    PartnerOrganisation,
    PartnerSite,
    Referral,
    ReferralAuditEvent,
    ReferralStatusChange,
)
from .services import (
    InvitationRefused,
    consultant_invite,
    referral_audit_record,
    referral_consent_report_record,
    referral_created_in_admin,
)


class PartnerSiteInline(admin.StackedInline):
    model = PartnerSite
    extra = 0
    show_change_link = True


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0
    fields = ["name", "role", "email", "phone", "user", "invited_at"]
    readonly_fields = ["user", "invited_at"]


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0
    fields = ["title", "library", "programme", "starts_on", "ends_on", "target_participants_per_year"]
    autocomplete_fields = ["library", "programme"]
    show_change_link = True


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "website"]
    list_filter = ["kind", "libraries"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["libraries"]
    inlines = [PartnerSiteInline, PartnerContactInline, AgreementInline]


@admin.register(PartnerSite)
class PartnerSiteAdmin(admin.ModelAdmin):
    list_display = ["name", "partner", "city"]
    list_filter = ["partner"]
    search_fields = ["name", "partner__name", "city", "street"]
    autocomplete_fields = ["partner"]
    list_select_related = ["partner"]


@admin.register(PartnerContact)
class PartnerContactAdmin(admin.ModelAdmin):
    list_display = ["name", "partner", "role", "email", "phone", "has_account", "invited_at"]
    list_filter = ["partner"]
    search_fields = ["name", "email", "partner__name"]
    autocomplete_fields = ["partner"]
    list_select_related = ["partner", "user"]
    # Only the invitation ties an account to a contact (and so to this organisation's referrals).
    readonly_fields = ["user", "invited_at"]
    actions = ["invite"]

    @admin.display(description=_("account"), boolean=True)
    def has_account(self, obj):
        return bool(obj.user_id and obj.user.has_usable_password())

    @admin.action(
        permissions=["change"],
        description=_("Invite to the referral portal (e-mail with a link to set a password)"),
    )
    def invite(self, request, queryset):
        invited = 0
        for contact in queryset:
            try:
                consultant_invite(contact=contact, invited_by=request.user)
            except InvitationRefused as refused:
                self.message_user(request, refused.message, messages.ERROR)
            except (smtplib.SMTPException, OSError):
                self.message_user(
                    request,
                    _("The e-mail to %(email)s could not be sent. Try again later.")
                    % {"email": contact.email},
                    messages.ERROR,
                )
            else:
                invited += 1
        if invited:
            self.message_user(
                request,
                ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", invited)
                % {"count": invited},
                messages.SUCCESS,
            )


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "library",
        "partner",
        "programme",
        "starts_on",
        "ends_on",
        "target_participants_per_year",
    ]
    list_filter = ["library", "partner"]
    search_fields = ["title", "partner__name", "programme__name"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["library", "partner", "programme"]
    list_select_related = ["library", "partner", "programme"]


class ReferralStatusChangeInline(admin.TabularInline):
    model = ReferralStatusChange
    extra = 0
    can_delete = False
    fields = [
        "changed_at",
        "from_status",
        "to_status",
        "changed_by",
        "intake_at",
        "intake_place",
        "stop_reason",
    ]
    readonly_fields = fields
    ordering = ["changed_at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    change_form_template = "admin/partners/referral/change_form.html"
    inlines = [ReferralStatusChangeInline]
    list_display = [
        "participant",
        "programme",
        "partner",
        "kind",
        "status",
        "status_changed_at",
        "created_at",
    ]
    list_filter = ["status", "kind", "library", "partner", "programme"]
    search_fields = ["participant__name", "programme__name", "partner__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["library", "partner", "referrer", "participant", "programme"]
    list_select_related = ["participant", "programme", "partner"]
    # The status moves only through "Change status" and "Enrol", so that every step is recorded.
    readonly_fields = [
        "status",
        "intake_at",
        "intake_place",
        "stop_reason",
        "withdrawal_reason",
        "withdrawal_note",
        "status_changed_at",
        "created_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "library",
                    "partner",
                    "referrer",
                    "participant",
                    "participant_name",
                    "participant_phone",
                    "participant_email",
                    "participant_channel",
                    "programme",
                    "kind",
                    "note",
                ]
            },
        ),
        (_("Consent"), {"fields": ["consent_contact", "consent_report_attendance", "consent_given_on"]}),
        (
            _("Progress"),
            {
                "fields": [
                    "status",
                    "intake_at",
                    "intake_place",
                    "stop_reason",
                    "withdrawal_reason",
                    "withdrawal_note",
                    "status_changed_at",
                    "created_at",
                ]
            },
        ),
    ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/status/", view(self.status_view), name="partners_referral_status"),
            path("<int:pk>/enrol/", view(self.enrol_view), name="partners_referral_enrol"),
            *super().get_urls(),
        ]

    def status_view(self, request, pk):
        return referral_status_view(self, request, pk)

    def enrol_view(self, request, pk):
        return referral_enrol_view(self, request, pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original") if request.method == "GET" else None
        if original is not None:
            referral_audit_record(
                user=request.user, action=ReferralAuditEvent.Action.VIEWED, referrals=[original]
            )
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            referral_created_in_admin(referral=obj, user=request.user)
            return
        if "consent_report_attendance" in form.changed_data and obj.consent_report_attendance:
            referral_consent_report_record(referral=obj)
        referral_audit_record(
            user=request.user,
            action=ReferralAuditEvent.Action.CHANGED,
            referrals=[obj],
            detail=", ".join(form.changed_data)[:200],
        )


@admin.register(ReferralAuditEvent)
class ReferralAuditEventAdmin(admin.ModelAdmin):
    """The log of who viewed, changed or exported which referral: nobody edits it."""

    list_display = ["at", "action", "referral_number", "referral", "user_email", "partner", "detail"]
    list_filter = ["action", "partner", "library"]
    search_fields = ["user_email", "=referral_number", "referral__participant__name"]
    date_hierarchy = "at"
    list_select_related = ["referral__participant", "referral__programme", "partner"]
    readonly_fields = [field.name for field in ReferralAuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
