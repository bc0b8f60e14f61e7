"""CPU time spent per request, by the web workers and by their PostgreSQL backends.

Requests per second move with whatever else shares the machine; the CPU a request costs moves much
less, so the load benchmark reports both. Read from /proc (Linux): utime + stime of gunicorn's workers
(the master's children) and of the PostgreSQL backends connected to the benchmark's database. Not
counted: Redis, PostgreSQL's background processes (WAL writer, checkpointer), and the load generator,
whose own process time is reported apart.
"""

import os
import time
from pathlib import Path

import psycopg2

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid):
    """(parent pid, CPU seconds) of a process, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after its closing one.
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def _children(parent):
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(entry.name)
            if stat and stat[0] == parent:
                pids.append(int(entry.name))
    return pids


class CpuMeter:
    def __init__(self, *, server_pid, database_url):
        self.server_pid = server_pid
        self.connection = psycopg2.connect(database_url)
        self.connection.autocommit = True

    def _backends(self):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]

    def snapshot(self):
        def seconds(pids):
            return {pid: stat[1] for pid in pids if (stat := _stat(pid))}

        return {
            "web": seconds(_children(self.server_pid)),
            "db": seconds(self._backends()),
            "client": time.process_time(),
        }

    @staticmethod
    def per_request(before, after, requests):
        """Milliseconds of CPU per request between two snapshots, for web, db and the load generator."""

        def spent(kind):
            # A process that started in between counts from zero; one that ended is lost (rare: workers
            # and their database connections live through the run).
            return sum(value - before[kind].get(pid, 0.0) for pid, value in after[kind].items())

        scale = 1000 / requests if requests else 0
        return {
            "web_cpu_ms": spent("web") * scale,
            "db_cpu_ms": spent("db") * scale,
            "client_cpu_ms": (after["client"] - before["client"]) * scale,
        }

    def close(self):
        self.connection.close()
