#!/usr/bin/env python3
"""Instructions per Lambda invocation, counted by valgrind's callgrind: repeatable whatever else
this machine is doing. Runs the zip's bootstrap under callgrind against the Runtime API emulator,
serving GET / as a Function URL event (memory store) N/5 and then N times; the difference of the
two totals over the difference in invocations is one invocation, start-up cancelled out. Once with
the EMF metrics on (the default) and once with SWIFTLET_METRICS=off: the difference is what the
metrics cost.

  python3 Benchmarks/lambda/instructions.py [--zip path] [--bootstrap binary] [--invocations 2000] [--store memory|dynamodb]

--bootstrap runs another build in the zip's task root (one with symbols, for callgrind_annotate).
"""
import argparse, os, re, shutil, subprocess, sys, tempfile, zipfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "..", "..", "scripts"))  # the Runtime API emulator
import bench  # noqa: E402  (its emulator server and event)


STORE_ENV = {"SWIFTLET_STORE": "memory"}


def total(root, count, metrics, work):
    out = os.path.join(work, "callgrind.out")
    if os.path.exists(out):
        os.remove(out)
    server = bench.Server(count)
    env = {"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:%d" % server.port, "AWS_REGION": "us-east-1", "PATH": "/usr/bin:/bin",
           "LAMBDA_TASK_ROOT": root, "AWS_LAMBDA_LOG_LEVEL": "WARN", "SWIFTLET_METRICS": metrics}
    env.update(STORE_ENV)
    process = subprocess.Popen(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, os.path.join(root, "bootstrap")],
                               env=env, cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not server.api.done.wait(600):
        process.kill()
        sys.exit("the bootstrap did not answer %d invocations under callgrind" % count)
    process.terminate()
    process.wait(60)
    server.close()
    assert all(r["body"]["statusCode"] == 200 for r in server.api.records), "a failed invocation"
    text = open(out).read()
    return int(re.search(r"^(?:summary|totals): (\d+)", text, re.M).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zip", default=os.path.join(here, "..", "..", ".build", "lambda", "swiftlet-lambda.zip"))
    parser.add_argument("--bootstrap", help="a swiftlet binary to run instead of the zip's")
    parser.add_argument("--invocations", type=int, default=2000)
    parser.add_argument("--store", choices=["memory", "dynamodb"], default="memory",
                        help="dynamodb: count in moto (scripts/moto-server), as on AWS; its own instructions are not counted")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="swiftlet-instructions-")
    root = os.path.join(work, "task")
    with zipfile.ZipFile(args.zip) as archive:
        for info in archive.infolist():
            archive.extract(info, root)
            os.chmod(os.path.join(root, info.filename), info.external_attr >> 16 & 0o777)
    if args.bootstrap:
        # Without DWARF 5 debug information, which valgrind 3.19 cannot read; the symbols stay.
        subprocess.check_call(["strip", "--strip-debug", "-o", os.path.join(root, "bootstrap"), args.bootstrap])
    if args.store == "dynamodb":
        moto = subprocess.Popen([sys.executable, os.path.join(here, "..", "..", "scripts", "moto-server"), "--port", "0", "--parent-pid", str(os.getpid())],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        STORE_ENV.update({"SWIFTLET_STORE": "dynamodb", "SWIFTLET_DYNAMODB_ENDPOINT": "http://127.0.0.1:%s" % moto.stdout.readline().split()[1],
                          "AWS_ACCESS_KEY_ID": "AKIDBENCH", "AWS_SECRET_ACCESS_KEY": "bench-secret"})
        subprocess.run([os.path.join(root, "bootstrap"), "create-table"], env=dict(STORE_ENV, AWS_REGION="us-east-1", PATH=os.environ["PATH"]),
                       check=True, capture_output=True)
    small, large = args.invocations // 5, args.invocations
    per = {}
    for metrics in ("on", "off"):
        per[metrics] = (total(root, large, metrics, work) - total(root, small, metrics, work)) / (large - small)
    print("| GET / as a Function URL event, %s store | instructions per invocation |" % args.store)
    print("| --- | --- |")
    print("| EMF metrics on (default) | %.0f |" % per["on"])
    print("| SWIFTLET_METRICS=off | %.0f |" % per["off"])
    print("| what the metrics cost | %+.0f (%+.1f%%) |" % (per["on"] - per["off"], 100 * (per["on"] - per["off"]) / per["off"]))


if __name__ == "__main__":
    main()
