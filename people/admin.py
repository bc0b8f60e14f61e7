from django.contrib import admin

from sessions.models import Registration

from .models import Consent, Participant, Worker


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
