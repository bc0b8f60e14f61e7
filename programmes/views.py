from django.http import Http404, JsonResponse
from django.shortcuts import render

from sessions import selectors as session_selectors
from sessions.calendar import calendar_for_sessions, ics_response

from . import selectors
from .models import Programme
from .open_data import hsds_export


def programme_list(request):
    return render(request, "public/programme_list.html", {"programmes": selectors.programme_public_list()})


def _programme_or_404(library, slug):
    try:
        return selectors.programme_public_get(library_slug=library, slug=slug)
    except Programme.DoesNotExist as error:
        raise Http404 from error


def programme_detail(request, library, slug):
    programme = _programme_or_404(library, slug)
    sessions = session_selectors.session_agenda(programme=programme)[:12]
    return render(request, "public/programme_detail.html", {"programme": programme, "sessions": sessions})


def programme_feed(request, library, slug):
    programme = _programme_or_404(library, slug)
    sessions = session_selectors.session_public_list().filter(programme=programme)
    content = calendar_for_sessions(sessions, name=programme.name, request=request)
    return ics_response(content, f"{programme.slug}.ics")


def open_data_hsds(request):
    data = hsds_export(libraries=selectors.library_open_data_list(), request=request)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
