from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Who viewed, exported, changed or erased personal data: nobody edits it (privacy.view_auditevent)."""

    list_display = [
        "at",
        "action",
        "user_label",
        "model_label",
        "object_id",
        "participant_number",
        "library",
        "detail",
    ]
    list_filter = ["action", "model_label", "library"]
    search_fields = ["user_label", "=participant_number", "=object_id"]
    date_hierarchy = "at"
    list_select_related = ["library"]
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
