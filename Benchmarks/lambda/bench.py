#!/usr/bin/env python3
"""Swiftlet's Lambda bootstrap against a Node.js 20 runtime loop, both under the Runtime API
emulator on loopback, alternating rounds (this host's speed drifts within minutes):
  (a) cold start: process spawn -> first GET /next, median of COLD runs, and the first invocation;
  (b) warm invocations per second and p50/p99 of GET / as a Function URL event;
  (c) peak RSS (VmHWM) after the warm run;  (d) the zip's size;
  (e) what the EMF metrics cost: the warm run again with SWIFTLET_METRICS=off, in the same rounds.

  python3 Benchmarks/lambda/bench.py [--zip path] [--rounds 3] [--cold 20] [--warm 2000]
"""
import argparse, json, os, socket, statistics, subprocess, sys, tempfile, threading, time, zipfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "..", "..", "scripts"))  # the Runtime API emulator
import fake_runtime_api as emulator  # noqa: E402

EVENT = json.dumps({
    "version": "2.0", "routeKey": "$default", "rawPath": "/", "rawQueryString": "",
    "headers": {"host": "abcdefg.lambda-url.us-east-1.on.aws", "accept": "text/html", "user-agent": "bench"},
    "requestContext": {"domainName": "abcdefg.lambda-url.us-east-1.on.aws",
                       "http": {"method": "GET", "path": "/", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.9", "userAgent": "bench"}},
    "isBase64Encoded": False,
}).encode()


class Server:
    def __init__(self, count):
        self.api = emulator.Emulator([("get", EVENT)] * count, 10000, None)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self.api.serve, args=(conn,), daemon=True).start()

    def close(self):
        self.listener.close()


def peak_rss_kb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


STORE_ENV = {"SWIFTLET_STORE": "memory"}


def launch(kind, root, port):
    env = {"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:%d" % port, "AWS_REGION": "us-east-1", "PATH": "/usr/bin:/bin",
           "LAMBDA_TASK_ROOT": root, "LOG_LEVEL": "warning", "AWS_LAMBDA_LOG_LEVEL": "WARN"}
    env.update(STORE_ENV)
    if kind == "swiftlet-off":
        env["SWIFTLET_METRICS"] = "off"
    command = [os.path.join(root, "bootstrap")] if kind.startswith("swiftlet") else ["node", os.path.join(here, "node-runtime", "bootstrap.js")]
    started = time.monotonic()
    return subprocess.Popen(command, env=env, cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), started


def cold(kind, root):
    server = Server(1)
    process, started = launch(kind, root, server.port)
    server.api.done.wait(10)
    process.terminate()
    process.wait(5)
    server.close()
    record = server.api.records[0]
    return (server.api.next_calls[0] - started) * 1000, (record["answered_at"] - record["next_at"]) * 1000


def warm(kind, root, count):
    server = Server(count)
    process, _ = launch(kind, root, server.port)
    server.api.done.wait(120)
    rss = peak_rss_kb(process.pid)
    process.terminate()
    process.wait(5)
    server.close()
    records = server.api.records[10:]  # the first few warm the caches
    durations = sorted((r["answered_at"] - r["next_at"]) * 1e6 for r in records)
    span = records[-1]["answered_at"] - records[0]["next_at"]
    assert all(r["body"]["statusCode"] == 200 for r in records), "a failed invocation"
    return len(records) / span, durations[len(durations) // 2], durations[int(len(durations) * 0.99)], rss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zip", default=os.path.join(here, "..", "..", ".build", "lambda", "swiftlet-lambda.zip"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cold", type=int, default=20)
    parser.add_argument("--warm", type=int, default=2000)
    parser.add_argument("--store", choices=["memory", "dynamodb", "redis", "postgres"], default="memory",
                        help="dynamodb: Swiftlet counts in moto (scripts/moto-server), as it does on AWS; "
                             "redis, postgres: in a redis-server or PostgreSQL this script starts on loopback")
    args = parser.parse_args()
    root = tempfile.mkdtemp(prefix="swiftlet-bench-")
    with zipfile.ZipFile(args.zip) as archive:
        for info in archive.infolist():
            archive.extract(info, root)
            os.chmod(os.path.join(root, info.filename), info.external_attr >> 16 & 0o777)
    node_version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    if args.store == "dynamodb":
        moto = subprocess.Popen([sys.executable, os.path.join(here, "..", "..", "scripts", "moto-server"), "--port", "0", "--parent-pid", str(os.getpid())],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        moto_port = int(moto.stdout.readline().split()[1])
        STORE_ENV.update({"SWIFTLET_STORE": "dynamodb", "SWIFTLET_DYNAMODB_ENDPOINT": "http://127.0.0.1:%d" % moto_port,
                          "AWS_ACCESS_KEY_ID": "AKIDBENCH", "AWS_SECRET_ACCESS_KEY": "bench-secret", "AWS_SESSION_TOKEN": "bench-token"})
        subprocess.run([os.path.join(root, "bootstrap"), "create-table"], env=dict(STORE_ENV, AWS_REGION="us-east-1", PATH=os.environ["PATH"]),
                       check=True, capture_output=True)
    if args.store in ("redis", "postgres"):
        sys.path.insert(0, os.path.join(here, "..", "stores"))
        import bench as stores  # noqa: E402  (its servers)
        work = tempfile.mkdtemp()
        if args.store == "redis":
            server_process, port = stores.start_redis(work)
            STORE_ENV.update({"SWIFTLET_STORE": "redis", "SWIFTLET_REDIS_URL": "redis://%s:%s@127.0.0.1:%d" % (stores.USER, stores.PASSWORD, port)})
        else:
            server_process, port = stores.start_postgres(work)
            STORE_ENV.update({"SWIFTLET_STORE": "postgres",
                              "SWIFTLET_POSTGRES_URL": "postgres://%s:%s@127.0.0.1:%d/postgres?sslmode=disable" % (stores.USER, stores.PASSWORD, port)})
            subprocess.run([os.path.join(root, "bootstrap"), "create-table", "--store", "postgres"], env=dict(STORE_ENV, PATH=os.environ["PATH"]),
                           check=True, capture_output=True)
        import atexit
        atexit.register(server_process.kill)
    results = {"swiftlet": {"cold": [], "first": [], "rps": [], "p50": [], "p99": [], "rss": []},
               "node": {"cold": [], "first": [], "rps": [], "p50": [], "p99": [], "rss": []}}
    ratios = {"cold": [], "p50": [], "rps": []}
    metrics_cost = {"p50": [], "rps": []}  # EMF on minus off, per round
    for round_index in range(args.rounds):
        per_round = {}
        for kind in ("swiftlet", "node"):
            colds = [cold(kind, root) for _ in range(args.cold)]
            rps, p50, p99, rss = warm(kind, root, args.warm)
            figures = {"cold": statistics.median(c for c, _ in colds), "first": statistics.median(f for _, f in colds),
                       "rps": rps, "p50": p50, "p99": p99, "rss": rss / 1024}
            per_round[kind] = figures
            for key, value in figures.items():
                results[kind][key].append(value)
            print("round %d %-8s cold %.2f ms  first %.0f us  warm %.0f/s  p50 %.0f us  p99 %.0f us  rss %.1f MB" % (
                round_index + 1, kind, figures["cold"], figures["first"] * 1000, rps, p50, p99, rss / 1024), file=sys.stderr)
        off_rps, off_p50, _, _ = warm("swiftlet-off", root, args.warm)
        metrics_cost["p50"].append(per_round["swiftlet"]["p50"] - off_p50)
        metrics_cost["rps"].append(per_round["swiftlet"]["rps"] / off_rps)
        print("round %d metrics off warm %.0f/s  p50 %.0f us" % (round_index + 1, off_rps, off_p50), file=sys.stderr)
        ratios["cold"].append(per_round["node"]["cold"] / per_round["swiftlet"]["cold"])
        ratios["p50"].append(per_round["node"]["p50"] / per_round["swiftlet"]["p50"])
        ratios["rps"].append(per_round["swiftlet"]["rps"] / per_round["node"]["rps"])
    median = statistics.median
    print()
    print("Lambda runtime loop under the Runtime API emulator, %d rounds alternating, medians (node %s; swiftlet's store: %s)" % (
        args.rounds, node_version, args.store))
    print()
    print("| figure | swiftlet | node | ratio |")
    print("| --- | --- | --- | --- |")
    s, n = results["swiftlet"], results["node"]
    print("| cold start: spawn -> first /next (median of %d) | %.2f ms | %.2f ms | node / swiftlet x%.1f (%.1f-%.1f) |" % (
        args.cold, median(s["cold"]), median(n["cold"]), median(ratios["cold"]), min(ratios["cold"]), max(ratios["cold"])))
    print("| first invocation (GET /) | %.0f us | %.0f us | |" % (median(s["first"]) * 1000, median(n["first"]) * 1000))
    print("| warm invocations per second | %.0f | %.0f | swiftlet / node x%.2f (%.2f-%.2f) |" % (
        median(s["rps"]), median(n["rps"]), median(ratios["rps"]), min(ratios["rps"]), max(ratios["rps"])))
    print("| warm p50 (next handed out -> response in) | %.0f us | %.0f us | node / swiftlet x%.2f |" % (median(s["p50"]), median(n["p50"]), median(ratios["p50"])))
    print("| warm p99 | %.0f us | %.0f us | |" % (median(s["p99"]), median(n["p99"])))
    print("| peak RSS | %.1f MB | %.1f MB | |" % (max(s["rss"]), max(n["rss"])))
    print("| zip | %.2f MB | | |" % (os.path.getsize(args.zip) / 1e6))
    print("| EMF metrics: warm p50 on - off | %+.0f us (%+.0f to %+.0f) | | on / off x%.2f warm invocations/s |" % (
        median(metrics_cost["p50"]), min(metrics_cost["p50"]), max(metrics_cost["p50"]), median(metrics_cost["rps"])))
    first_vs_warm = median(s["first"]) * 1000 / median(s["p50"])
    print()
    print("swiftlet first invocation / warm p50: x%.2f" % first_vs_warm)


if __name__ == "__main__":
    main()
