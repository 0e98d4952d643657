"""Reads Locust's CSV stats after `make load`: prints the summary and checks the targets.

    python bench/load_check.py var/load/locust_stats.csv [--p95-ms 300]

Exits 1 if any request failed or if the 95th percentile over all requests ("Aggregated") is at
or above --p95-ms. Standard library only (it runs in the Locust virtualenv).
"""

import argparse
import csv
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stats")
    parser.add_argument("--p95-ms", type=float, default=300)
    args = parser.parse_args()
    with open(args.stats, newline="") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(f"{'request':<44} {'count':>7} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}")
    for r in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        print(
            f"{r['Name'][:44]:<44} {r['Request Count']:>7} {r['Failure Count']:>5} {r['50%']:>6} {r['95%']:>6} "
            f"{r['99%']:>6} {float(r['Max Response Time']):>7.0f}"
        )
    requests, failures, p95 = int(total["Request Count"]), int(total["Failure Count"]), float(total["95%"])
    rate = float(total["Requests/s"])
    print(
        f"\n{requests} requests ({rate:.1f}/s), {failures} failed, p95 {p95:.0f} ms "
        f"(target: 0 failed, p95 < {args.p95_ms:.0f} ms)"
    )
    ok = failures == 0 and p95 < args.p95_ms and requests > 0
    print("Target met." if ok else "Target NOT met.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
