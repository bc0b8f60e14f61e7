from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["kind", "participant", "channel", "status", "due_at", "sent_at", "attempts"]
    list_filter = ["status", "kind", "channel", "library"]
    search_fields = ["participant__name", "idempotency_key"]
    date_hierarchy = "due_at"
    list_select_related = ["participant"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False
