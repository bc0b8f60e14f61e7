from celery import shared_task

from .services import report_export_build


@shared_task(acks_late=True, ignore_result=True)
def build_report_export(export_id):
    """Make the file of a large report export (reports.services.report_export_build)."""
    report_export = report_export_build(export_id=export_id)
    return report_export.status if report_export else None
