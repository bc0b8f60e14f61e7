"""Admin pages for a subject access request and an erasure request; both go through privacy.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from privacy.services import participant_erase, participant_erase_preview, participant_export

EXPORT_PERMISSION = "people.export_participant"
ERASE_PERMISSION = "people.erase_participant"


def _participant(model_admin, request, pk, permission):
    # Scoped first: another library's person does not exist for this member of staff (404).
    participant = get_object_or_404(model_admin.get_queryset(request), pk=pk)
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return participant


def participant_export_view(model_admin, request, pk):
    participant = _participant(model_admin, request, pk, EXPORT_PERMISSION)
    fmt = "json" if request.GET.get("format") == "json" else "html"
    content = participant_export(participant=participant, actor=request.user, fmt=fmt)
    content_type = "application/json" if fmt == "json" else "text/html"
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gegevens-deelnemer-{participant.pk}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def participant_erase_view(model_admin, request, pk):
    participant = _participant(model_admin, request, pk, ERASE_PERMISSION)
    if participant.is_anonymised:
        model_admin.message_user(request, _("This person's data has already been removed."), messages.INFO)
        return redirect("admin:people_participant_change", pk)
    if request.method == "POST":
        participant_erase(participant=participant, actor=request.user)
        model_admin.message_user(
            request,
            _("Erased. Only anonymous counts remain of participant #%(number)s.") % {"number": pk},
            messages.SUCCESS,
        )
        return redirect("admin:people_participant_change", pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": participant,
        "title": _("Erase this person now"),
        "preview": participant_erase_preview(participant=participant),
    }
    return TemplateResponse(request, "admin/people/participant/erase_confirmation.html", context)
