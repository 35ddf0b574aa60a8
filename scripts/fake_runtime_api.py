#!/usr/bin/env python3
"""A Lambda Runtime API emulator for benchmarks and smoke tests, written from the AWS documentation
("Using the Lambda runtime API for custom runtimes", "Response streaming") and independent of
Swiftlet's own code. It serves the events given on the command line, in order, then answers /next
with nothing until it is stopped; it checks every call and prints one JSON line per event on
stdout: {"event", "requestId", "next_at", "answered_at", "status", "body" | "error", "streamed"}.

  fake_runtime_api.py --port 0 --events a.json b.json ...  (prints "port N" first)
"""
import argparse, base64, json, socket, sys, threading, time, uuid

VERSION = "/2018-06-01/runtime"


class Strict(Exception):
    pass


def read_head(stream, fields=None):
    """(method, target, headers by lower-case name) of the next request, or None at the end;
    `fields`, when given, gets every field as sent, in order (repeated names included)."""
    line = stream.readline()
    if not line:
        return None
    if not line.endswith(b"\r\n"):
        raise Strict("request line not ended by CRLF")
    method, target, version = line[:-2].decode("ascii").split(" ")
    if version != "HTTP/1.1":
        raise Strict("not HTTP/1.1: %r" % version)
    headers = {}
    while True:
        field = stream.readline()
        if field == b"\r\n":
            break
        if not field.endswith(b"\r\n") or b":" not in field:
            raise Strict("bad header line %r" % field)
        name, value = field[:-2].split(b":", 1)
        if name != name.strip():
            raise Strict("whitespace around a field name")
        key = name.decode("ascii").lower()
        if key in headers and key in ("content-length", "transfer-encoding", "host"):
            raise Strict("duplicate %s" % key)
        headers[key] = value.strip().decode("latin-1")
        if fields is not None:
            fields.append((name.decode("ascii"), headers[key]))
    if "host" not in headers:
        raise Strict("no Host")
    return method, target, headers


def read_body(stream, headers):
    if "transfer-encoding" in headers:
        if "content-length" in headers:
            raise Strict("both Content-Length and Transfer-Encoding")
        if headers["transfer-encoding"].lower() != "chunked":
            raise Strict("unknown transfer coding")
        body, chunks = b"", []
        while True:
            size_line = stream.readline()
            if not size_line.endswith(b"\r\n"):
                raise Strict("chunk size line not ended by CRLF")
            size = int(size_line[:-2].split(b";")[0], 16)
            if size == 0:
                break
            data = stream.read(size)
            chunks.append(time.monotonic())
            if stream.read(2) != b"\r\n":
                raise Strict("chunk not ended by CRLF")
            body += data
        trailers = {}
        while True:
            line = stream.readline()
            if line == b"\r\n":
                break
            name, value = line[:-2].split(b":", 1)
            trailers[name.decode().strip().lower()] = value.strip().decode()
        return body, trailers, len(chunks)
    length = int(headers.get("content-length", "0"))
    return stream.read(length), {}, 0


def respond(conn, status, body=b"", headers=None, close=False):
    reason = {200: "OK", 202: "Accepted", 400: "Bad Request", 404: "Not Found", 500: "Internal Server Error"}[status]
    head = "HTTP/1.1 %d %s\r\n" % (status, reason)
    for name, value in (headers or {}).items():
        head += "%s: %s\r\n" % (name, value)
    head += "Content-Length: %d\r\n" % len(body)
    if close:
        head += "Connection: close\r\n"
    conn.sendall(head.encode() + b"\r\n" + body)


class Emulator:
    def __init__(self, events, deadline_ms, out):
        self.events = list(events)
        self.deadline_ms = deadline_ms
        self.out = out
        self.pending = {}  # request id -> record
        self.lock = threading.Lock()
        self.init_error = None
        self.violations = []
        self.records = []       # every answered invocation, in order
        self.next_calls = []    # when each GET /next arrived (time.monotonic)
        self.done = threading.Event()

    def next_event(self):
        with self.lock:
            if not self.events:
                return None
            name, data = self.events.pop(0)
            rid = str(uuid.uuid4())
            self.pending[rid] = {"event": name, "requestId": rid, "next_at": time.monotonic()}
            return rid, data

    def serve(self, conn):
        stream = conn.makefile("rb")
        try:
            while True:
                head = read_head(stream)
                if head is None:
                    return
                method, target, headers = head
                body, trailers, chunks = read_body(stream, headers)
                if method == "GET" and target == VERSION + "/invocation/next":
                    self.next_calls.append(time.monotonic())
                    item = self.next_event()
                    if item is None:
                        self.done.set()
                        time.sleep(3600)
                        return
                    rid, data = item
                    deadline = int(time.time() * 1000) + self.deadline_ms
                    # /next answered chunked, as Lambda's own does.
                    head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: %s\r\n"
                            "Lambda-Runtime-Deadline-Ms: %d\r\nLambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:swiftlet\r\n"
                            "Lambda-Runtime-Trace-Id: Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n" % (rid, deadline))
                    conn.sendall(head.encode() + b"%x\r\n" % len(data) + data + b"\r\n0\r\n\r\n")
                    continue
                if method == "POST" and target == VERSION + "/init/error":
                    self.init_error = {"type": headers.get("lambda-runtime-function-error-type"), "body": json.loads(body)}
                    if self.out is not None:
                        print(json.dumps({"initError": self.init_error}), file=self.out, flush=True)
                    respond(conn, 202, b'{"status":"OK"}')
                    self.done.set()
                    continue
                parts = target.split("/")
                if method == "POST" and len(parts) == 6 and target.startswith(VERSION + "/invocation/") and parts[5] in ("response", "error"):
                    rid = parts[4]
                    with self.lock:
                        record = self.pending.pop(rid, None)
                    if record is None:
                        respond(conn, 400, b'{"errorType":"InvalidRequestID","errorMessage":"unknown or answered request id"}')
                        self.violations.append("answer for unknown id %s" % rid)
                        continue
                    record["answered_at"] = time.monotonic()
                    if parts[5] == "error":
                        record["error"] = {"type": headers.get("lambda-runtime-function-error-type"), "body": json.loads(body)}
                    elif headers.get("lambda-runtime-function-response-mode") == "streaming":
                        record["streamed"] = True
                        record["chunks"] = chunks
                        if trailers.get("lambda-runtime-function-error-type"):
                            record["streamError"] = {"type": trailers["lambda-runtime-function-error-type"],
                                                     "body": json.loads(base64.b64decode(trailers.get("lambda-runtime-function-error-body", "")) or b"{}")}
                        prelude, _, rest = body.partition(b"\0" * 8)
                        record["prelude"] = json.loads(prelude)
                        record["body"] = base64.b64encode(rest).decode()
                    else:
                        record["body"] = json.loads(body)
                    self.records.append(record)
                    if self.out is not None:
                        print(json.dumps(record), file=self.out, flush=True)
                    respond(conn, 202, b'{"status":"OK"}')
                    if not self.events and not self.pending:
                        self.done.set()
                    continue
                self.violations.append("unknown call %s %s" % (method, target))
                respond(conn, 404, b"{}")
        except Strict as error:
            self.violations.append(str(error))
            print(json.dumps({"violation": str(error)}), file=self.out, flush=True)
        finally:
            conn.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--deadline-ms", type=int, default=10000)
    parser.add_argument("--events", nargs="*", default=[])
    args = parser.parse_args()
    events = [(name, open(name, "rb").read()) for name in args.events]
    emulator = Emulator(events, args.deadline_ms, sys.stdout)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(16)
    print("port %d" % listener.getsockname()[1], flush=True)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=emulator.serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
