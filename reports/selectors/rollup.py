"""Counts per programme (and month) and over everything in one pass over the rows (GROUP BY ROLLUP).

The ORM cannot group one query several ways; counting the same large join once per grouping (once per
programme, once over everything for the distinct people) cost a second full pass.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections


def rollup(queryset, columns, aggregates):
    """[(level, row)] aggregated per every leading part of `columns`: level len(columns) down to 0 (all).

    `queryset` is a values() queryset giving the rows: the columns and the fields the aggregates use.
    `aggregates` maps a name to (SQL over those field names, params); they are counts.
    """
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    try:
        inner, inner_params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing, e.g. no libraries
        return [(0, {**dict.fromkeys(columns), **dict.fromkeys(aggregates, 0)})]
    keys = ", ".join(quote(column) for column in columns)
    select = ", ".join(
        [
            *(quote(column) for column in columns),
            *(f"{sql} AS {quote(name)}" for name, (sql, _params) in aggregates.items()),
            f"GROUPING({keys})",
        ]
    )
    params = [param for _sql, values in aggregates.values() for param in values]
    names = [*columns, *aggregates]
    with connection.cursor() as cursor:
        # Only names and SQL from the code are formatted in; every value is a parameter.
        sql = f"SELECT {select} FROM ({inner}) AS report_rows GROUP BY ROLLUP ({keys})"  # noqa: S608
        cursor.execute(sql, [*params, *inner_params])
        # GROUPING() has a bit set for each column rolled up.
        return [
            (len(columns) - row[-1].bit_count(), dict(zip(names, row[:-1], strict=True)))
            for row in cursor.fetchall()
        ]
