#!/usr/bin/env python3
"""Serves the repository's real exporter outputs (../shared/fixtures) over HTTP on loopback, one fixture
file per URL, so that a real Prometheus can scrape them (see scripts/with-prometheus). Python stdlib only.

    scripts/fixture-server.py [--root DIR] [--port N] [--host ADDR] [--targets-file FILE] [FILE ...]

    --root DIR           fixtures folder (default: ../shared/fixtures beside the repository root)
    --port N             TCP port; 0 (the default) picks a free one
    --host ADDR          address to listen on (default 127.0.0.1)
    --targets-file FILE  also write the /targets.json body to FILE (atomically, once listening)
    FILE ...             fixture files or glob patterns, relative to --root (default: the exporter scrapes,
                         DEFAULT_FIXTURES below)

Once listening it prints the port, alone on the first line of stdout, and flushes.

Endpoints:
    GET /metrics/<fixture-id>  the file's bytes, unchanged, as
                               `Content-Type: text/plain; version=0.0.4; charset=utf-8`
    GET /targets.json          every fixture as a Prometheus file_sd / static_configs target group:
                               [{"targets": ["127.0.0.1:PORT"],
                                 "labels": {"__metrics_path__": "/metrics/<fixture-id>",
                                            "fixture": "<path relative to --root>"}}, ...]
    GET /fixtures.json         [{"id", "fixture", "metrics_path", "bytes", "sha256", "sample_lines"}, ...]
                               (sample_lines: the lines that are neither empty nor `#` comments)
    GET /-/healthy             200 "ok"
    GET /                      the ids, one per line
HEAD works on every one of them; anything else is 404 (unknown path) or 405 (other methods).

fixture-id: the path relative to --root with every `/` replaced by `--`, e.g.
`dcgm-exporter/metrics/l4-gpu-operator-full-scrape.prom` is served at
`/metrics/dcgm-exporter--metrics--l4-gpu-operator-full-scrape.prom`. Only `[A-Za-z0-9._-]` may appear in a
path (start-up fails otherwise), so ids need no URL escaping and two files can never share one.

Files are read once at start-up: the server serves that snapshot. It is threaded (one thread per
connection, HTTP/1.1 keep-alive) and logs nothing per request; SIGTERM/SIGINT stop it with status 0.
"""
import argparse
import glob
import hashlib
import http.server
import json
import os
import re
import signal
import sys
import tempfile

DEFAULT_FIXTURES = [
    "dcgm-exporter/metrics/*.prom",
    "amd-device-metrics-exporter/*.prom",
    "amd-device-metrics-exporter/mi300x-gpu_gfx_activity-prometheus-series.txt",
    "vllm/*.prom",
]
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
SAFE_PATH = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")


def fixture_id(relative_path):
    return relative_path.replace("/", "--")


def load_fixtures(root, patterns):
    """Returns {id: {"fixture", "body"}} in a stable order (patterns' order, each glob sorted)."""
    fixtures = {}
    for pattern in patterns:
        matches = sorted(glob.glob(os.path.join(root, pattern)))
        if not matches:
            raise SystemExit(f"fixture-server: no file matches {pattern!r} under {root}")
        for path in matches:
            if not os.path.isfile(path):
                continue
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            if not SAFE_PATH.fullmatch(relative) or "--" in relative:
                raise SystemExit(
                    f"fixture-server: {relative!r}: only [A-Za-z0-9._-] (and no `--`) may appear in a "
                    "fixture path"
                )
            ident = fixture_id(relative)
            if ident in fixtures:
                continue
            with open(path, "rb") as f:
                body = f.read()
            fixtures[ident] = {"fixture": relative, "body": body}
    if not fixtures:
        raise SystemExit("fixture-server: no fixture files")
    return fixtures


def sample_line_count(body):
    count = 0
    for line in body.decode("utf-8", errors="replace").splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            count += 1
    return count


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def make_handler(fixtures, documents):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def version_string(self):
            return "modelplane-fixture-server"

        def log_message(self, format, *args):  # quiet: no line per request
            pass

        def respond(self, status, content_type, body, head_only):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head_only:
                self.wfile.write(body)

        def route(self, head_only):
            path = self.path.split("?", 1)[0]
            if path.startswith("/metrics/") and path[len("/metrics/"):] in fixtures:
                body = fixtures[path[len("/metrics/"):]]["body"]
                self.respond(200, CONTENT_TYPE, body, head_only)
            elif path in documents:
                content_type, body = documents[path]
                self.respond(200, content_type, body, head_only)
            else:
                self.respond(404, "text/plain; charset=utf-8", b"not found\n", head_only)

        def do_GET(self):
            self.route(head_only=False)

        def do_HEAD(self):
            self.route(head_only=True)

        def method_not_allowed(self):
            self.send_response(405)
            self.send_header("Allow", "GET, HEAD")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_PUT = do_DELETE = do_PATCH = method_not_allowed

    return Handler


def write_atomically(path, data):
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".targets-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(temporary, path)


def main():
    script_dir = os.path.dirname(os.path.abspath(__file__))
    default_root = os.path.normpath(os.path.join(script_dir, "..", "..", "shared", "fixtures"))
    parser = argparse.ArgumentParser(description="Serves fixture exporter outputs for Prometheus to scrape.")
    parser.add_argument("--root", default=default_root)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--targets-file")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()

    root = os.path.abspath(args.root)
    fixtures = load_fixtures(root, args.files or DEFAULT_FIXTURES)

    server = Server((args.host, args.port), None)
    host, port = server.server_address[:2]
    address = f"{host}:{port}"
    targets = [
        {"targets": [address], "labels": {"__metrics_path__": f"/metrics/{ident}", "fixture": f["fixture"]}}
        for ident, f in fixtures.items()
    ]
    listing = [
        {
            "id": ident,
            "fixture": f["fixture"],
            "metrics_path": f"/metrics/{ident}",
            "bytes": len(f["body"]),
            "sha256": hashlib.sha256(f["body"]).hexdigest(),
            "sample_lines": sample_line_count(f["body"]),
        }
        for ident, f in fixtures.items()
    ]
    targets_body = (json.dumps(targets, indent=2) + "\n").encode()
    documents = {
        "/targets.json": ("application/json", targets_body),
        "/fixtures.json": ("application/json", (json.dumps(listing, indent=2) + "\n").encode()),
        "/-/healthy": ("text/plain; charset=utf-8", b"ok\n"),
        "/": ("text/plain; charset=utf-8", "".join(f"{ident}\n" for ident in fixtures).encode()),
    }
    server.RequestHandlerClass = make_handler(fixtures, documents)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    if args.targets_file:
        write_atomically(args.targets_file, targets_body)
    print(port, flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
