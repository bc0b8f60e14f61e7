"""Streams generated rows into PostgreSQL with COPY, in one transaction, on a background thread.

The generator (main thread) formats rows into per-table text buffers; full buffers go through a small
queue to a writer thread that runs `COPY ... FROM STDIN` on its own connection, so Python builds the
next rows while PostgreSQL stores the last ones (two cores busy, not one). Everything is one
transaction: a failure leaves the database as it was.

Primary keys are assigned here (from the table's current maximum), so that rows can refer to each
other without a round trip; the sequences are moved past them at the end. As a superuser the writer
switches foreign-key triggers off for the load (`session_replication_role = replica`) and then checks
every foreign key of every table it wrote with one anti-join each, before committing: the same
guarantee, a fraction of the time. Check constraints and unique indexes are enforced as usual.
"""

import io
import queue
import threading
import time
import uuid
from datetime import date, datetime, timedelta

from django.core.management.color import no_style
from django.db import connections

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_BUFFER_ROWS = 25_000


def copy_text(value):
    """One value in PostgreSQL's COPY text format."""
    kind = type(value)
    if value is None:
        return "\\N"
    if kind is str:
        return value.translate(_ESCAPES)
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if kind is datetime or kind is date:
        return value.isoformat()
    if kind is timedelta:
        return f"{value.total_seconds()} seconds"
    if kind is uuid.UUID:
        return str(value)
    if kind is list or kind is dict:
        import json

        return json.dumps(value).translate(_ESCAPES)
    return str(value).translate(_ESCAPES)


class Table:
    """Rows of one table: explicit columns, plus constant defaults for any other NOT NULL column."""

    def __init__(self, writer, model, columns):
        self.writer, self.model = writer, model
        opts = model._meta
        self.db_table = opts.db_table
        by_name = {f.name: f for f in opts.concrete_fields} | {f.attname: f for f in opts.concrete_fields}
        fields = [by_name[name] for name in columns]
        missing = [f for f in opts.concrete_fields if f not in fields and not f.primary_key]
        extras = []
        for field in missing:
            if field.has_default():
                if callable(field.default) and field.default not in (list, dict, str):
                    raise ValueError(
                        f"{opts.label}.{field.name} has a per-row default: fill it in the generator"
                    )
                default = field.get_default()
            elif field.null:
                default = None
            elif field.empty_strings_allowed:
                default = ""
            else:
                raise ValueError(f"{opts.label}.{field.name} has no default: fill it in the generator")
            extras.append((field.column, copy_text(default)))
        self.columns = [f.column for f in fields] + [column for column, _ in extras]
        self.suffix = "".join("\t" + text for _, text in extras) + "\n"
        self.buffer, self.buffered, self.rows = io.StringIO(), 0, 0
        self.next_id = writer.max_id(self.db_table) + 1 if opts.pk.column == "id" else None
        self.seconds = 0.0

    def new_id(self):
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, *values):
        self.buffer.write("\t".join([copy_text(v) for v in values]) + self.suffix)
        self.buffered += 1
        if self.buffered >= _BUFFER_ROWS:
            self.flush()

    def flush(self):
        if self.buffered:
            self.writer.submit(self, self.buffer.getvalue(), self.buffered)
            self.rows += self.buffered
            self.buffer, self.buffered = io.StringIO(), 0


class CopyWriter:
    def __init__(self, *, replica=True):
        self.tables, self.replica = {}, replica
        self.queue = queue.Queue(maxsize=6)
        self.error, self.fast_fk = None, False
        self._ids = {}
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            self.superuser = bool(cursor.fetchone()[0])
        self.thread = threading.Thread(target=self._run, name="copy-writer", daemon=True)
        self.thread.start()

    def max_id(self, db_table):
        if db_table not in self._ids:
            with connections["default"].cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{db_table}"')  # noqa: S608 - model table
                self._ids[db_table] = cursor.fetchone()[0]
        return self._ids[db_table]

    def table(self, model, columns):
        key = model._meta.db_table
        if key not in self.tables:
            self.tables[key] = Table(self, model, columns)
        return self.tables[key]

    def submit(self, table, text, rows):
        if self.error:
            raise RuntimeError("The COPY writer failed") from self.error
        self.queue.put((table, text, rows))

    # The writer thread ----------------------------------------------------------------------------

    def _run(self):
        connection = connections["default"]
        try:
            connection.set_autocommit(False)
            with connection.cursor() as cursor:
                if self.replica and self.superuser:
                    cursor.execute("SET LOCAL session_replication_role = replica")
                    self.fast_fk = True
                cursor.execute("SET LOCAL synchronous_commit = off")
                while True:
                    item = self.queue.get()
                    if item is None:
                        break
                    if callable(item):
                        item(cursor)
                        continue
                    table, text, _rows = item
                    started = time.perf_counter()
                    columns = ", ".join(f'"{c}"' for c in table.columns)
                    cursor.cursor.copy_expert(
                        f'COPY "{table.db_table}" ({columns}) FROM STDIN', io.StringIO(text)
                    )
                    table.seconds += time.perf_counter() - started
            connection.commit()
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            self.error = error
            try:
                connection.rollback()
            finally:
                while True:  # unblock the producer
                    try:
                        self.queue.get_nowait()
                    except queue.Empty:
                        break
        finally:
            connection.set_autocommit(True)
            connection.close()

    def finish(self, *, analyze=True, report=print):
        """Flush, move the sequences, check every foreign key, ANALYZE, commit."""
        for table in self.tables.values():
            table.flush()
        timings = {}

        def finalise(cursor):
            models = [table.model for table in self.tables.values()]
            started = time.perf_counter()
            for sql in connections["default"].ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            if self.fast_fk:
                _check_foreign_keys(cursor, models)
            timings["foreign keys checked"] = time.perf_counter() - started
            started = time.perf_counter()
            if analyze:
                for table in self.tables.values():
                    cursor.execute(f'ANALYZE "{table.db_table}"')
            timings["ANALYZE"] = time.perf_counter() - started

        self.queue.put(finalise)
        self.queue.put(None)
        started = time.perf_counter()
        self.thread.join()
        if self.error:
            raise RuntimeError(f"Nothing was stored: {self.error}") from self.error
        timings["waiting for the database"] = time.perf_counter() - started
        return timings

    def abort(self):
        def fail(cursor):
            raise RuntimeError("aborted")

        try:
            self.queue.put(fail, timeout=5)
        except queue.Full:
            pass
        self.thread.join(timeout=60)


def _check_foreign_keys(cursor, models):
    problems = []
    for model in models:
        table = model._meta.db_table
        for field in model._meta.concrete_fields:
            if not field.is_relation or not field.db_constraint:
                continue
            target = field.target_field
            parent = target.model._meta.db_table
            cursor.execute(
                f'SELECT COUNT(*) FROM "{table}" c WHERE c."{field.column}" IS NOT NULL AND NOT EXISTS '  # noqa: S608
                f'(SELECT 1 FROM "{parent}" p WHERE p."{target.column}" = c."{field.column}")'
            )
            orphans = cursor.fetchone()[0]
            if orphans:
                problems.append(f"{table}.{field.column}: {orphans} rows point nowhere")
    if problems:
        raise RuntimeError("Foreign keys broken: " + "; ".join(problems))
