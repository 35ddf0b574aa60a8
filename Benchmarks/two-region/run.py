#!/usr/bin/env python3
"""The two-region rehearsal's figures, with the real zip: for each scenario (the primary's store
cut off, the primary's function stopped), ROUNDS runs of `scripts/two-region rehearse` (4 clients,
20 s, failure at 5 s, restore at 12 s), and a table of medians:

- failover gap: ms from the failure to the first page answered by the DR region;
- back: ms from the restore to the first page answered by the primary again;
- failed GETs: pages and health checks the edge did not answer 200 (target 0);
- POSTs 503 / other: POST /api/visits goes to the primary alone, so these fail while it is down;
- doubled views: page views counted in both regions (total minus acknowledged visits).

  python3 Benchmarks/two-region/run.py [--zip .build/lambda/swiftlet-lambda.zip] [--rounds 3]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "two-region")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zip", default=os.path.join(ROOT, ".build", "lambda", "swiftlet-lambda.zip"))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", "3")))
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    state = tempfile.mkdtemp(prefix="two-region-")
    subprocess.check_call([sys.executable, SCRIPT, "--state", state, "up", "--zip", args.zip], stdout=sys.stderr)
    rows = {"store": [], "function": []}
    try:
        for _ in range(args.rounds):
            for scenario in rows:  # alternate the scenarios, round by round
                output = subprocess.check_output([sys.executable, SCRIPT, "--state", state, "rehearse", "--scenario", scenario,
                                                  "--seconds", str(args.seconds)])
                rows[scenario].append(json.loads(output))
    finally:
        subprocess.call([sys.executable, SCRIPT, "--state", state, "down"], stdout=subprocess.DEVNULL)
    print("| scenario | rounds | failover gap ms | back ms | GETs | failed GETs | POSTs ok | POSTs 503 | POSTs other | doubled views |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for scenario, runs in rows.items():
        def median(pick):
            values = [pick(run) for run in runs if pick(run) is not None]
            return round(statistics.median(values)) if values else "-"
        print("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            scenario, len(runs), median(lambda r: r["failoverGapMs"]), median(lambda r: r["backToPrimaryMs"]),
            median(lambda r: r["pages"]["sent"] + r["health"]["sent"]),
            median(lambda r: r["pages"]["failed"] + r["health"]["sent"] - r["health"]["ok"]),
            median(lambda r: r["posts"]["ok"]), median(lambda r: r["posts"]["unavailable"]), median(lambda r: r["posts"]["other"]),
            " ".join(str(r["doubleCounted"]["us-east-1"]) for r in runs) + " (each round)"))


if __name__ == "__main__":
    main()
