#!/usr/bin/env python3
"""Memory per idle keep-alive connection: opens N connections to swiftlet and to nginx (each asks
for one small answer, then stays open and silent) and prints the servers' RSS growth per
connection, in one run.

  python3 Benchmarks/idle-connections.py [N]     (after scripts/package-lambda; needs nginx)
"""
import os, re, socket, subprocess, sys, tempfile, time, zipfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, ".."))


def rss_kb(pids):
    total = 0
    for pid in pids:
        for line in open("/proc/%d/status" % pid):
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def connect_idle(port, count, path):
    held = []
    request = ("GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n" % path).encode()
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        length = int(re.search(rb"(?i)content-length: (\d+)", data).group(1))
        while len(data.split(b"\r\n\r\n", 1)[1]) < length:
            data += sock.recv(65536)
        held.append(sock)
    return held


def measure(name, pids, port, count, path):
    time.sleep(0.3)
    before = rss_kb(pids)
    held = connect_idle(port, count, path)
    time.sleep(0.5)
    after = rss_kb(pids)
    for sock in held:
        sock.close()
    per = (after - before) * 1024 / count
    print("| %s | %d | %.0f KB | %.0f KB | %.0f B |" % (name, count, before, after, per))
    return per


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    import resource
    resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))
    unpacked = tempfile.mkdtemp()
    with zipfile.ZipFile(os.path.join(root, ".build", "lambda", "swiftlet-lambda.zip")) as archive:
        for info in archive.infolist():
            archive.extract(info, unpacked)
            os.chmod(os.path.join(unpacked, info.filename), info.external_attr >> 16 & 0o777)
    server = subprocess.Popen([os.path.join(unpacked, "bootstrap"), "serve", "--port", "0", "--store", "memory", "--loops", "2",
                               "--asset-export", os.path.join(unpacked, "public-export"), "--templates-folder", os.path.join(unpacked, "Templates")],
                              stderr=subprocess.PIPE, text=True, env={"PATH": "/usr/bin:/bin", "LOG_LEVEL": "notice"})
    line = ""
    while "listening on" not in line:
        line = server.stderr.readline()
    port = int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))
    conf_dir = tempfile.mkdtemp()
    nginx_port = port + 1
    open(os.path.join(conf_dir, "nginx.conf"), "w").write("""
worker_processes 2; daemon off; pid %s/nginx.pid; error_log /dev/null;
events { worker_connections 20000; }
http { access_log off; keepalive_timeout 120s; server { listen 127.0.0.1:%d; location / { return 200 '{"status":"ok"}'; } } }
""" % (conf_dir, nginx_port))
    nginx = subprocess.Popen(["nginx", "-c", os.path.join(conf_dir, "nginx.conf"), "-p", conf_dir])
    time.sleep(0.5)
    workers = [int(p) for p in subprocess.run(["pgrep", "-P", str(nginx.pid)], capture_output=True, text=True).stdout.split()]
    print("| server | idle connections | RSS before | RSS after | per connection |")
    print("| --- | --- | --- | --- | --- |")
    measure("swiftlet serve", [server.pid], port, count, "/health")
    measure("nginx (workers)", workers or [nginx.pid], nginx_port, count, "/")
    server.terminate()
    nginx.terminate()


if __name__ == "__main__":
    main()
