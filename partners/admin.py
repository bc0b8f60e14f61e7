from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Agreement, PartnerContact, PartnerOrganisation, PartnerSite, Referral


class PartnerSiteInline(admin.StackedInline):
    model = PartnerSite
    extra = 0
    show_change_link = True


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0


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
    list_display = ["name", "partner", "role", "email", "phone"]
    list_filter = ["partner"]
    search_fields = ["name", "email", "partner__name"]
    autocomplete_fields = ["partner"]
    list_select_related = ["partner"]


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


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
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
    readonly_fields = ["status_changed_at", "created_at"]
    fieldsets = [
        (None, {"fields": ["library", "partner", "referrer", "participant", "programme", "kind", "note"]}),
        (_("Consent"), {"fields": ["consent_contact", "consent_report_attendance", "consent_given_on"]}),
        (
            _("Progress"),
            {
                "fields": [
                    "status",
                    "intake_at",
                    "intake_place",
                    "stop_reason",
                    "status_changed_at",
                    "created_at",
                ]
            },
        ),
    ]
