"""Counts per programme (and month) and over everything in one pass over the rows (GROUP BY ROLLUP).

The ORM cannot group one query several ways; counting the same large join once per grouping (once per
programme, once over everything for the distinct people) cost a second full pass. SQLite (the local
demo) has no ROLLUP: there each level is a query of its own, with the same results.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections


def rollup(queryset, columns, aggregates, *, grouping_sets=None):
    """[(level, row)] aggregated per every leading part of `columns`: level len(columns) down to 0 (all).

    `queryset` is a values() queryset giving the rows: the columns and the fields the aggregates use.
    `aggregates` maps a name to (SQL over those field names, params); they are counts.
    `grouping_sets`: use ROLLUP (default: on PostgreSQL).
    """
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    try:
        inner, inner_params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing, e.g. no libraries
        return [(0, {**dict.fromkeys(columns), **dict.fromkeys(aggregates, 0)})]
    if grouping_sets is None:
        grouping_sets = connection.vendor == "postgresql"
    counts = [f"{sql} AS {quote(name)}" for name, (sql, _params) in aggregates.items()]
    params = [param for _sql, values in aggregates.values() for param in values]
    names = [*columns, *aggregates]
    keys = [quote(column) for column in columns]
    # Only names and SQL from the code are formatted in; every value is a parameter.
    source = f"FROM ({inner}) AS report_rows"
    with connection.cursor() as cursor:
        if grouping_sets:
            grouping = f"GROUPING({', '.join(keys)})"
            sql = (
                f"SELECT {', '.join([*keys, *counts, grouping])} {source} GROUP BY ROLLUP ({', '.join(keys)})"
            )
            cursor.execute(sql, [*params, *inner_params])
            # GROUPING() has a bit set for each column rolled up.
            return [
                (len(columns) - row[-1].bit_count(), dict(zip(names, row[:-1], strict=True)))
                for row in cursor.fetchall()
            ]
        result = []
        for level in range(len(columns), -1, -1):
            selected = [*keys[:level], *(["NULL"] * (len(columns) - level)), *counts]
            group = f" GROUP BY {', '.join(keys[:level])}" if level else ""
            cursor.execute(f"SELECT {', '.join(selected)} {source}{group}", [*params, *inner_params])
            result += [(level, dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
        return result
