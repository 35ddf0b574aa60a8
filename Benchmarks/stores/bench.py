#!/usr/bin/env python3
"""POST /api/visits through the dev server on the Redis and the PostgreSQL store, against a
well-known client running the same statements on the same server: redis-py with hiredis
(MULTI, HINCRBY, HGETALL, EXEC in one pipeline) and psycopg 3 on libpq (the store's one
INSERT ... ON CONFLICT ... RETURNING with the sums, prepared). Rounds alternate (this machine's
speed drifts within minutes). Everything on loopback, plain TCP, durability off on the servers
(appendonly no; fsync and synchronous_commit off), so that what is measured is the client side.

  python3 Benchmarks/stores/bench.py [--binary .build/release/swiftlet] [--rounds 3] [--requests 2000]

Figures per increment:
  - swiftlet: the server process's CPU (user + system, /proc) over the requests, HTTP included,
    and the latency of the whole POST as a Python client on a kept-alive connection sees it;
  - the peer: its own process's CPU (time.process_time) and its call's latency.
Needs redis-server, PostgreSQL, and `pip install "psycopg[binary]" redis hiredis`.
"""
import argparse, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
USER, PASSWORD = "swiftlet", "bench-password-1"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, deadline=30):
    end = time.time() + deadline
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit("nothing listens on %d" % port)


def start_redis(work):
    port = free_port()
    conf = os.path.join(work, "redis.conf")
    with open(conf, "w") as f:
        f.write("bind 127.0.0.1\nport %d\nsave \"\"\nappendonly no\ndir %s\nuser default off\nuser %s on >%s ~* &* +@all\n" % (port, work, USER, PASSWORD))
    proc = subprocess.Popen(["redis-server", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port)
    return proc, port


def start_postgres(work):
    bins = sorted(d for d in os.listdir("/usr/lib/postgresql") if os.path.exists("/usr/lib/postgresql/%s/bin/postgres" % d))
    if not bins:
        sys.exit("PostgreSQL is not installed (bash scripts/setup --test)")
    bin_dir = "/usr/lib/postgresql/%s/bin" % bins[-1]
    port = free_port()
    data = os.path.join(work, "pg")
    pw = os.path.join(work, "pw")
    with open(pw, "w") as f:
        f.write(PASSWORD)
    prefix = []
    if os.geteuid() == 0:  # PostgreSQL refuses root
        shutil.chown(work, "postgres", "postgres")
        shutil.chown(pw, "postgres", "postgres")
        prefix = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"]
    subprocess.run(prefix + [bin_dir + "/initdb", "-D", data, "-U", USER, "--pwfile=" + pw, "--auth=scram-sha-256", "-E", "UTF8"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(data, "postgresql.conf"), "a") as f:
        f.write("listen_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = ''\nfsync = off\nsynchronous_commit = off\n" % port)
    proc = subprocess.Popen(prefix + [bin_dir + "/postgres", "-D", data], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port)
    time.sleep(0.5)  # the port opens before the server takes logins
    return proc, port


def cpu_seconds(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def swiftlet_round(binary, env, count):
    proc = subprocess.Popen([binary, "serve", "--port", "0", "--loops", "1", "--public-folder", root + "/Public", "--templates-folder", root + "/Templates"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    port = None
    for line in proc.stderr:
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        sys.exit("swiftlet did not start")
    sock = socket.create_connection(("127.0.0.1", port))
    request = b"POST /api/visits HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"

    def post():
        sock.sendall(request)
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            buffer += sock.recv(65536)
        head, _, body = buffer.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            sys.exit("unexpected answer: %r" % head[:200])
        length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
        while len(body) < length:
            body += sock.recv(65536)

    for _ in range(50):  # the connection to the store opened, the statement prepared
        post()
    before = cpu_seconds(proc.pid)
    latencies = []
    for _ in range(count):
        start = time.perf_counter()
        post()
        latencies.append(time.perf_counter() - start)
    cpu = cpu_seconds(proc.pid) - before
    sock.close()
    proc.terminate()
    proc.wait()
    return cpu / count, latencies


def timed_calls(once, count):
    """`once` called 50 times to warm up, then `count` times: this process's CPU per call, and each call's latency."""
    for _ in range(50):
        once()
    before = time.process_time()
    latencies = []
    for _ in range(count):
        start = time.perf_counter()
        once()
        latencies.append(time.perf_counter() - start)
    return (time.process_time() - before) / count, latencies


def redis_peer_round(port, count):
    import redis
    client = redis.Redis(host="127.0.0.1", port=port, username=USER, password=PASSWORD)
    key = "{swiftlet}:visits"

    def once():
        pipe = client.pipeline(transaction=True)
        pipe.hincrby(key, "us-east-1", 1)
        pipe.hgetall(key)
        pipe.execute()

    try:
        return timed_calls(once, count)
    finally:
        client.close()


def postgres_peer_round(port, count, sql):
    import psycopg
    with psycopg.connect(host="127.0.0.1", port=port, user=USER, password=PASSWORD, dbname="postgres", sslmode="disable",
                         prepare_threshold=0, autocommit=True) as conn:
        def once():
            conn.execute(sql, ("us-east-1", 0)).fetchall()
        return timed_calls(once, count)


# The store's statement (PostgresVisitStore.incrementSQL), with psycopg's placeholders.
INCREMENT = """
WITH bumped AS (
    INSERT INTO visits AS v (region, shard, count) VALUES (%s, %s, 1)
    ON CONFLICT (region, shard) DO UPDATE SET count = v.count + 1
    RETURNING region, shard, count
)
SELECT region, sum(count)::bigint FROM (
    SELECT region, shard, count FROM visits t
    WHERE NOT EXISTS (SELECT 1 FROM bumped b WHERE b.region = t.region AND b.shard = t.shard)
    UNION ALL SELECT region, shard, count FROM bumped
) AS rows GROUP BY region
"""


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(root, ".build/release/swiftlet"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        subprocess.run(["swift", "build", "-c", "release", "--product", "swiftlet"], cwd=root, check=True)
    work = tempfile.mkdtemp()
    redis_proc, redis_port = start_redis(work)
    pg_proc, pg_port = start_postgres(work)
    try:
        base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LOG_LEVEL": "notice", "AWS_REGION": "us-east-1"}
        envs = {
            "redis": dict(base, SWIFTLET_STORE="redis", SWIFTLET_REDIS_URL="redis://%s:%s@127.0.0.1:%d" % (USER, PASSWORD, redis_port)),
            "postgres": dict(base, SWIFTLET_STORE="postgres", SWIFTLET_POSTGRES_SHARDS="1",
                             SWIFTLET_POSTGRES_URL="postgres://%s:%s@127.0.0.1:%d/postgres?sslmode=disable" % (USER, PASSWORD, pg_port)),
        }
        made = subprocess.run([args.binary, "create-table", "--store", "postgres"], env=envs["postgres"], capture_output=True, text=True)
        if made.returncode != 0:
            sys.exit(made.stderr)
        results = {(store, who): ([], []) for store in envs for who in ("swiftlet", "peer")}
        for round_ in range(args.rounds):
            for store in envs:
                cpu, lat = swiftlet_round(args.binary, envs[store], args.requests)
                results[(store, "swiftlet")][0].append(cpu)
                results[(store, "swiftlet")][1].extend(lat)
                if store == "redis":
                    cpu, lat = redis_peer_round(redis_port, args.requests)
                else:
                    cpu, lat = postgres_peer_round(pg_port, args.requests, INCREMENT)
                results[(store, "peer")][0].append(cpu)
                results[(store, "peer")][1].extend(lat)
                print("round %d %-8s swiftlet %.1f us CPU p50 %.0f us | peer %.1f us CPU p50 %.0f us" % (
                    round_ + 1, store, results[(store, "swiftlet")][0][-1] * 1e6, pct(results[(store, "swiftlet")][1][-args.requests:], 0.5),
                    cpu * 1e6, pct(lat, 0.5)), file=sys.stderr)
        print("\nPOST /api/visits through the dev server (1 loop) vs the peer client doing the store's statements, "
              "%d rounds x %d, alternating, medians of rounds\n" % (args.rounds, args.requests))
        print("| store | swiftlet CPU / increment (server, HTTP included) | peer CPU / call | ratio peer / swiftlet | swiftlet p50 / p99 | peer p50 / p99 |")
        print("| --- | --- | --- | --- | --- | --- |")
        peers = {"redis": "redis-py %s + hiredis" % __import__("redis").__version__, "postgres": "psycopg %s (libpq)" % __import__("psycopg").__version__}
        for store in envs:
            s_cpu = statistics.median(results[(store, "swiftlet")][0]) * 1e6
            p_cpu = statistics.median(results[(store, "peer")][0]) * 1e6
            s_lat, p_lat = results[(store, "swiftlet")][1], results[(store, "peer")][1]
            # Too few requests for one clock tick of the server's CPU: no ratio to give.
            ratio = "x%.2f" % (p_cpu / s_cpu) if s_cpu > 0 else "- (too few requests to measure)"
            print("| %s (%s) | %.1f us | %.1f us | %s | %.0f / %.0f us | %.0f / %.0f us |" % (
                store, peers[store], s_cpu, p_cpu, ratio, pct(s_lat, 0.5), pct(s_lat, 0.99), pct(p_lat, 0.5), pct(p_lat, 0.99)))
    finally:
        for proc in (redis_proc, pg_proc):
            proc.kill()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
