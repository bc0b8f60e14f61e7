from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.paginators import EstimatedCountPaginator

from .defaults import DEFAULTS
from .models import MessageTemplate, OutboxMessage
from .services import message_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "channel", "status", "due_at", "sent_at", "attempts", "last_error"]
    list_filter = ["status", "channel", "kind", "library", ("due_at", admin.DateFieldListFilter)]
    search_fields = ["participant__name", "contact__name", "idempotency_key"]
    # No date_hierarchy and no second COUNT: the outbox grows by every message ever sent.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_select_related = ["participant", "contact"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("to"))
    def recipient(self, obj):
        return obj.recipient

    @admin.action(description=_("Try the selected failed messages again"))
    def retry(self, request, queryset):
        failed = list(queryset.filter(status=OutboxMessage.Status.FAILED))
        for message in failed:
            message_retry(message=message)
        self.message_user(
            request,
            ngettext(
                "%(count)d message will be sent again.", "%(count)d messages will be sent again.", len(failed)
            )
            % {"count": len(failed)},
            messages.SUCCESS,
        )


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "language", "library", "subject", "updated_at"]
    list_filter = ["kind", "language", "library"]
    search_fields = ["subject", "body"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser:
            # A text for every library is for superusers; staff word their own library's messages.
            form.base_fields["library"].required = True
            form.base_fields["library"].empty_label = None
        return form

    def get_changeform_initial_data(self, request):
        # Start from the built-in text, so staff change words rather than write from nothing.
        initial = super().get_changeform_initial_data(request)
        kind, language = initial.get("kind", "reminder"), initial.get("language", "nl")
        subject, body = DEFAULTS.get((kind, language), DEFAULTS[("reminder", "nl")])
        return {"kind": kind, "language": language, "subject": subject, "body": body, **initial}
