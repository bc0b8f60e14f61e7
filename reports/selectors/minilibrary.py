"""The mini-library's figures (loans at a partner's site), when that app provides them."""

from importlib import import_module

MINILIBRARY_KEYS = ("visits", "loans", "returns", "requests", "requests_fulfilled")


def _report_function():
    try:
        selectors = import_module("minilibrary.selectors")
    except ImportError:
        return None
    return getattr(selectors, "minilibrary_report", None)


def minilibrary_figures(scope):
    """{visits, loans, returns, requests, requests_fulfilled}, or None without the mini-library app.

    Not narrowed by programme, branch or partner: the mini-library has none of these.
    """
    report = _report_function()
    if report is None:
        return None
    library_ids = sorted(scope.library_ids) if scope.library_ids is not None else None
    figures = report(library_ids=library_ids, date_from=scope.date_from, date_to=scope.date_to)
    return {key: figures.get(key, 0) for key in MINILIBRARY_KEYS}
