"""Benchmark: the coordinators' pages with the shortlist benchmark's pool of 50,000 people.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lb_bench .venv/bin/python bench/pages.py

Uses (and if needed builds) the same database as bench/shortlist.py, signs in a coordinator
made for the purpose, and times each page through Django's test client (the whole request:
middleware, queries, templates), printing the median, p95 and the number of SQL queries.
The list pages must not grow with the number of rows: compare the query counts printed here
with the tests' query-count checks, which run with a handful of rows.

Nothing is asserted about the times: they are figures to compare between versions and
machines (the "reference" line gives the machine's speed, as in bench/shortlist.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import shortlist as data

COORDINATOR_EMAIL = "bench-coordinator@bench.invalid"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=50_000, help="active people, if the pool must be built")
    parser.add_argument("--inquiries", type=int, default=30_000, help="inquiries, if the pool must be built")
    parser.add_argument("--runs", type=int, default=10, help="timed requests per page (default 10)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild", action="store_true", help="drop the database and build the data again")
    return parser.parse_args()


def pages() -> list[tuple[str, str]]:
    from requests_app.models import UnitRequest

    request = UnitRequest.objects.get(title=data.TARGET_TITLE)
    base = f"/samordning/forfragningar/{request.pk}"
    return [
        ("start page", "/samordning/"),
        ("pool, first page", "/samordning/resurser/"),
        ("pool, name search", "/samordning/resurser/?q=anna"),
        ("pool, area and perspective", "/samordning/resurser/?area=1&perspective=1"),
        ("pool, by last assignment", "/samordning/resurser/?order=last_assignment"),
        ("pool, page 500", "/samordning/resurser/?page=500"),
        ("request board", "/samordning/forfragningar/"),
        ("a request", f"{base}/"),
        ("shortlist", f"{base}/matchning/"),
        ("shortlist + hand search", f"{base}/matchning/?sok=anna"),
        ("answers", f"{base}/svar/"),
    ]


def measure(args: argparse.Namespace) -> None:
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.enums import Role
    from accounts.models import User
    from accounts.services import create_user, user_has_mfa

    settings.ALLOWED_HOSTS = ["testserver"]
    user = User.objects.filter(email=COORDINATOR_EMAIL).first() or create_user(
        COORDINATOR_EMAIL, full_name="Bench Samordnare", roles=[Role.COORDINATOR]
    )
    if not user_has_mfa(user):  # coordinators must have a second factor; the secret is never used
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")

    print(
        f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; reference {data.reference_ms(connection):.0f} ms"
    )
    print(f"{'page':<30} {'median':>8} {'p95':>8} {'queries':>8}")
    for name, url in pages():
        client.get(url)  # warm-up
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append(1000 * (time.perf_counter() - started))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        print(f"{name:<30} {statistics.median(times):6.0f} ms {data.percentile(times, 0.95):6.0f} ms {len(queries):8d}")


def main() -> int:
    args = parse_args()
    config = data.database_config()
    data.ensure_database(config, drop=args.rebuild)
    data.setup_django()
    data.build(args)
    data.keep_rows()  # the shortlist page ranks them
    measure(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
