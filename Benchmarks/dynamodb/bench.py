#!/usr/bin/env python3
"""Visits counted in DynamoDB: `POST /api/visits` through the dev server with the DynamoDB store
against moto, next to boto3 making the same calls (UpdateItem ADD, then a consistent Query) to the
same moto in the same run, alternating rounds. moto serves one request at a time
(scripts/moto-server), so both are bound by it; what is compared is whether our client (SigV4,
HTTP/1.1, JSON) costs anything beside boto3's.

  python3 Benchmarks/dynamodb/bench.py [--zip path] [--rounds 3] [--seconds 5] [--connections 4]
"""
import argparse, os, random, re, statistics, subprocess, sys, tempfile, threading, time, zipfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))
ENV = {"AWS_ACCESS_KEY_ID": "AKIDBENCH", "AWS_SECRET_ACCESS_KEY": "bench-secret", "AWS_REGION": "us-east-1",
       "SWIFTLET_TABLE": "visits", "LOG_LEVEL": "notice", "PATH": os.environ["PATH"]}


def start_moto():
    process = subprocess.Popen([sys.executable, os.path.join(root, "scripts", "moto-server"), "--port", "0", "--parent-pid", str(os.getpid())],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(process.stdout.readline().split()[1])
    return process, port


def wrk(port, seconds, connections):
    script = os.path.join(tempfile.mkdtemp(), "post.lua")
    open(script, "w").write('wrk.method = "POST"\n')
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", "%ds" % seconds, "--latency", "-s", script,
                          "http://127.0.0.1:%d/api/visits" % port], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * scale, int(errors.group(1)) if errors else 0


def boto3_run(port, seconds, connections):
    import boto3
    from botocore.config import Config
    latencies, lock = [], threading.Lock()
    stop = time.monotonic() + seconds

    def worker():
        client = boto3.client("dynamodb", endpoint_url="http://127.0.0.1:%d" % port, region_name="us-east-1",
                              aws_access_key_id=ENV["AWS_ACCESS_KEY_ID"], aws_secret_access_key=ENV["AWS_SECRET_ACCESS_KEY"],
                              config=Config(retries={"max_attempts": 1}))
        mine = []
        while time.monotonic() < stop:
            started = time.monotonic()
            client.update_item(TableName="visits", Key={"pk": {"S": "visits"}, "sk": {"S": "us-east-1#%d" % random.randrange(4)}},
                               UpdateExpression="ADD #c :one", ExpressionAttributeNames={"#c": "count"},
                               ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValues="UPDATED_NEW")
            client.query(TableName="visits", KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": {"S": "visits"}}, ConsistentRead=True)
            mine.append((time.monotonic() - started) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads: thread.start()
    for thread in threads: thread.join()
    latencies.sort()
    return len(latencies) / seconds, latencies[int(len(latencies) * 0.99)], 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zip", default=os.path.join(root, ".build", "lambda", "swiftlet-lambda.zip"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    unpacked = tempfile.mkdtemp()
    with zipfile.ZipFile(args.zip) as archive:
        for info in archive.infolist():
            archive.extract(info, unpacked)
            os.chmod(os.path.join(unpacked, info.filename), info.external_attr >> 16 & 0o777)
    binary = os.path.join(unpacked, "bootstrap")
    moto, port = start_moto()
    env = dict(ENV, SWIFTLET_DYNAMODB_ENDPOINT="http://127.0.0.1:%d" % port)
    subprocess.run([binary, "create-table"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([binary, "serve", "--port", "0", "--store", "dynamodb", "--asset-export", os.path.join(unpacked, "public-export"),
                               "--templates-folder", os.path.join(unpacked, "Templates")], env=env, stderr=subprocess.PIPE, text=True)
    line = ""
    while "listening on" not in line:
        line = server.stderr.readline()
    server_port = int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))
    results = {"swiftlet": [], "boto3": []}
    for round_index in range(args.rounds):
        results["swiftlet"].append(wrk(server_port, args.seconds, args.connections))
        results["boto3"].append(boto3_run(port, args.seconds, args.connections))
        print("round %d: swiftlet %.0f/s p99 %.1f ms (%d errors) | boto3 %.0f/s p99 %.1f ms" % (
            round_index + 1, *results["swiftlet"][-1], results["boto3"][-1][0], results["boto3"][-1][1]), file=sys.stderr)
    server.terminate()
    moto.kill()
    ratios = [s[0] / b[0] for s, b in zip(results["swiftlet"], results["boto3"])]
    median = statistics.median
    print("\nVisits counted in moto (served one request at a time), %d connections, %d s, %d rounds alternating, medians\n" % (
        args.connections, args.seconds, args.rounds))
    print("| client | increments/s | p99 | non-2xx |")
    print("| --- | --- | --- | --- |")
    print("| swiftlet: POST /api/visits through the dev server (UpdateItem + Query) | %.0f | %.1f ms | %d |" % (
        median(r[0] for r in results["swiftlet"]), median(r[1] for r in results["swiftlet"]), sum(r[2] for r in results["swiftlet"])))
    print("| boto3: the same two calls, straight to moto | %.0f | %.1f ms | |" % (median(r[0] for r in results["boto3"]), median(r[1] for r in results["boto3"])))
    print("\nswiftlet / boto3: x%.2f (%.2f-%.2f)" % (median(ratios), min(ratios), max(ratios)))


if __name__ == "__main__":
    main()
