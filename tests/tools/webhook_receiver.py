#!/usr/bin/env python3
"""A webhook receiver for the tests: verifies each request's Standard Webhooks signature with
its own HMAC code (not the server's), answers 500 to the first FAILURES requests and 200 after,
and appends one JSON line per request to LOG: {id, timestamp, type, valid, status, body}.

Usage: webhook_receiver.py SECRET_FILE LOG [FAILURES]
SECRET_FILE is read at each request (the test writes the secret once it has it).
Prints "webhooks listening on 127.0.0.1:<port>" when ready."""
import base64
import hashlib
import hmac
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

secret_file, log_path = sys.argv[1], sys.argv[2]
failures = int(sys.argv[3]) if len(sys.argv) > 3 else 0
lock = threading.Lock()
seen = {"n": 0}


def valid(secret, msg_id, timestamp, body, header):
    if not secret.startswith("whsec_"):
        return False
    key = base64.b64decode(secret[len("whsec_"):])
    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest("v1," + expected, s) for s in header.split(" "))


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            with open(secret_file) as f:
                secret = f.read().strip()
        except OSError:
            secret = ""
        msg_id = self.headers.get("webhook-id", "")
        timestamp = self.headers.get("webhook-timestamp", "")
        ok = valid(secret, msg_id, timestamp, body, self.headers.get("webhook-signature", ""))
        with lock:
            seen["n"] += 1
            status = 500 if seen["n"] <= failures else 200
            payload = json.loads(body) if body else {}
            with open(log_path, "a") as log:
                log.write(json.dumps({"id": msg_id, "timestamp": timestamp,
                                      "type": payload.get("type"), "valid": ok,
                                      "status": status, "body": payload}) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("webhooks listening on 127.0.0.1:%d" % server.server_address[1], flush=True)
server.serve_forever()
