#!/usr/bin/env python3
"""A small Comtrade Plus API stand-in for the fetch tests (127.0.0.1 only).

    server.py [--log FILE] [--lifetime SEC] ACTION...

Binds 127.0.0.1 on a free port and prints the port on stdout. Each request
takes the next ACTION; the last one repeats. Every request is logged as
"GET <path> key=<Ocp-Apim-Subscription-Key header or ->". Actions (FILE is a
fixture path):
  ok:FILE               200 with FILE
  status:CODE[:SECS]    CODE with a JSON error body that echoes the key it got
                        (the client must not print it); Retry-After: SECS,
                        or with SECS written date+N the HTTP date N s from now
  slow:SECS:FILE        wait SECS before answering, then 200 with FILE
  drip:SECS:FILE        200 with FILE, sent in 20 pieces over SECS
  trunc:FILE            200, Content-Length of FILE, half of it, then close
  stall:SECS:FILE       200, half of FILE, then wait SECS, then the rest
  badjson               200 with a body that is not JSON
  count:FILE            200 with FILE, its "count" one higher than its records
  apierror              200 with {"error": "..."} and no data
  body:CODE:FILE        CODE with FILE as the body
A request for /_reset?log=FILE&a=ACTION&a=ACTION... (sent by the tests, not
logged) starts a new script and a new log, so one server serves a whole test
file. The server exits by itself after --lifetime seconds (default 120).
"""
import email.utils
import http.server
import json
import os
import sys
import threading
import time
import urllib.parse

args = sys.argv[1:]
log = None
lifetime = 120.0
while args and args[0].startswith("--"):
    opt = args.pop(0)
    if opt == "--log":
        log = args.pop(0)
    elif opt == "--lifetime":
        lifetime = float(args.pop(0))
    else:
        sys.exit("server.py: unknown option " + opt)
actions = args or ["status:404"]
lock = threading.Lock()


def next_action():
    with lock:
        return actions.pop(0) if len(actions) > 1 else actions[0]


def read(path):
    with open(path, "rb") as f:
        return f.read()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):  # quiet
        pass

    def head(self, code, length, extra=()):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(length))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()

    def send_body(self, code, body, extra=()):
        self.head(code, len(body), extra)
        self.wfile.write(body)

    def do_GET(self):
        global actions, log
        if self.path.startswith("/_reset?"):
            q = urllib.parse.parse_qs(self.path[len("/_reset?"):])
            with lock:
                actions = q.get("a", ["status:404"])
                log = q.get("log", [None])[0]
                if log:
                    open(log, "w").close()
            self.send_body(200, b"reset\n")
            return
        key = self.headers.get("Ocp-Apim-Subscription-Key", "-")
        if log:
            with lock, open(log, "a") as f:
                f.write("GET %s key=%s\n" % (self.path, key))
        act = next_action()
        kind, _, rest = act.partition(":")
        if kind == "ok":
            self.send_body(200, read(rest))
        elif kind == "status":
            code, _, secs = rest.partition(":")
            body = json.dumps({"statusCode": int(code),
                               "message": "test server refused key %s" % key}).encode()
            if secs.startswith("date"):  # the HTTP-date form, N s from now
                # ("date+N"; a '+' that came through a query string is a space)
                secs = email.utils.formatdate(time.time() + float(secs[4:].strip("+ ")),
                                              usegmt=True)
            self.send_body(int(code), body, [("Retry-After", secs)] if secs else [])
        elif kind == "slow":
            secs, _, path = rest.partition(":")
            time.sleep(float(secs))
            self.send_body(200, read(path))
        elif kind == "drip":
            secs, _, path = rest.partition(":")
            body = read(path)
            self.head(200, len(body))
            step = max(1, len(body) // 20)
            for i in range(0, len(body), step):
                self.wfile.write(body[i:i + step])
                self.wfile.flush()
                time.sleep(float(secs) / 20)
        elif kind == "trunc":
            body = read(rest)
            self.head(200, len(body))
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif kind == "stall":
            secs, _, path = rest.partition(":")
            body = read(path)
            self.head(200, len(body))
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            time.sleep(float(secs))
            self.wfile.write(body[len(body) // 2:])
        elif kind == "badjson":
            self.send_body(200, b'{"count": 1, "data": [{"primaryValue": 12,5}]}')
        elif kind == "count":
            doc = json.loads(read(rest))
            doc["count"] = len(doc["data"]) + 1
            self.send_body(200, json.dumps(doc).encode())
        elif kind == "body":
            code, _, path = rest.partition(":")
            self.send_body(int(code), read(path))
        elif kind == "apierror":
            self.send_body(200, b'{"count": 0, "data": [], "error": "Invalid period"}')
        else:
            self.send_body(500, b'{"message": "server.py: unknown action"}')


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


srv = Server(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
threading.Timer(lifetime, lambda: os._exit(0)).start()
srv.serve_forever()
