from django import template

from reports.permissions import can_view_reports

register = template.Library()


@register.simple_tag(takes_context=True)
def may_view_reports(context):
    request = context.get("request")
    return bool(request and can_view_reports(request.user))
