"""The report pages in the admin: the report, its exports, an export's progress and its download."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format, localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import export as export_files
from .chart import chart_series, trend_chart
from .describe import scope_description
from .forms import THIS_YEAR, ReportFilterForm
from .models import ReportExport
from .permissions import can_view_reports
from .selectors import meeting_count, report_build
from .services import report_export_file_name, report_export_request
from .storage import export_storage
from .tables import FIGURES, figure_keys, report_tables, summary_rows

# Exports with more meetings than this are made in the background (REPORTS_EXPORT_SYNC_MAX_ROWS).
DEFAULT_SYNC_MAX_ROWS = 2000


def _check(request):
    if not can_view_reports(request.user):
        raise PermissionDenied


def _context(model_admin, request, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "app_label": model_admin.opts.app_label,
        **extra,
    }


def _form(request):
    """Always bound: without choices, the report is this year's for everything the user may see."""
    return ReportFilterForm(request.GET or {"period": THIS_YEAR}, user=request.user)


def report(model_admin, request):
    _check(request)
    form = _form(request)
    report = scope = None
    if form.is_valid():
        scope = form.scope()
        report = report_build(scope)
    query = request.GET.urlencode() or f"period={THIS_YEAR}"
    labels = dict(FIGURES)
    trend = chart_series(report.series) if report else []
    # Programmes added up as "Other programmes" in the chart and its table.
    others = len(report.series) - len(trend) + 1 if report and len(trend) < len(report.series) else 0
    context = _context(
        model_admin,
        request,
        title=_("Reports"),
        form=form,
        report=report,
        query=query,
        description=scope_description(scope) if scope else [],
        summary=summary_rows(report) if report else [],
        figure_columns=[(key, labels[key]) for key in figure_keys(report)] if report else [],
        chart=trend_chart(report.months, trend) if report else None,
        trend_series=trend,
        trend_others=others,
    )
    if report:
        context["programme_rows"] = programme_rows(report.rows, figure_keys(report))
        context["trend_rows"] = [
            (month, [series.values[i] for series in trend]) for i, month in enumerate(report.months)
        ]
    return TemplateResponse(request, "admin/reports/report.html", context)


def programme_rows(rows, keys):
    """(row, its figures as table cells) for the table per programme.

    The cells are made here, not in template loops: thousands of programmes × 16 figures. Every value
    is a count or a rate formatted here, so nothing needs escaping; counts are formatted as the
    template would (separators only with USE_THOUSAND_SEPARATOR).
    """
    number = localize if settings.USE_THOUSAND_SEPARATOR else str
    rate_at = keys.index("no_show_rate") if "no_show_rate" in keys else None
    decimal_mark = get_format("DECIMAL_SEPARATOR")
    result = []
    for row in rows:
        figures = row.figures
        values = [number(figures.get(key, 0)) for key in keys]
        if rate_at is not None:
            rate = row.no_show_rate
            # With the language's decimal mark, as the summary above the table shows it.
            values[rate_at] = "–" if rate is None else f"{rate:g}".replace(".", decimal_mark)
        cells = "".join(f'<td class="number">{value}</td>' for value in values)
        result.append((row, mark_safe(cells)))  # noqa: S308 - numbers made here
    return result


def _sync_max_rows():
    return getattr(settings, "REPORTS_EXPORT_SYNC_MAX_ROWS", DEFAULT_SYNC_MAX_ROWS)


def export(model_admin, request):
    """A small report downloads at once; a large one becomes a background export (progress page)."""
    _check(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    file_format = request.POST.get("format")
    form = _form(request)
    if file_format not in export_files.CONTENT_TYPES or not form.is_valid():
        messages.error(request, _("The report could not be exported. Check the choices and try again."))
        return redirect(f"{reverse('admin:reports_report')}?{request.GET.urlencode()}")
    scope = form.scope()
    if meeting_count(scope) <= _sync_max_rows():
        tables = report_tables(report_build(scope), describe_scope=scope_description(scope))
        response = HttpResponse(
            export_files.render(tables, file_format), content_type=export_files.CONTENT_TYPES[file_format]
        )
        name = f"rapportage-{timezone.localdate():%Y-%m-%d}.{file_format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    library_ids = scope.library_ids
    if library_ids is not None and len(library_ids) != 1:
        messages.error(request, _("This report is large. Choose one library organisation to export it."))
        return redirect(f"{reverse('admin:reports_report')}?{request.GET.urlencode()}")
    library = None
    if library_ids is not None:
        from programmes.models import Library

        library = Library.objects.get(pk=next(iter(library_ids)))
    report_export = report_export_request(
        user=request.user, scope=scope, file_format=file_format, library=library
    )
    messages.info(request, _("The report is large: it is being made now. This page shows when it is ready."))
    return redirect("admin:reports_reportexport_status", report_export.pk)


def _export(model_admin, request, pk):
    _check(request)
    return get_object_or_404(model_admin.get_queryset(request), pk=pk)


def export_status(model_admin, request, pk):
    report_export = _export(model_admin, request, pk)
    context = _context(
        model_admin,
        request,
        title=_("Report export"),
        export=report_export,
        refresh_seconds=3 if not report_export.is_finished else None,
    )
    return TemplateResponse(request, "admin/reports/export_status.html", context)


def export_download(model_admin, request, pk):
    report_export = _export(model_admin, request, pk)
    if report_export.status != ReportExport.Status.DONE:
        raise Http404
    storage = export_storage()
    if not storage.exists(report_export.file_name):
        raise Http404
    return FileResponse(
        storage.open(report_export.file_name, "rb"),
        as_attachment=True,
        filename=report_export_file_name(report_export),
        content_type=export_files.CONTENT_TYPES[report_export.format],
    )
