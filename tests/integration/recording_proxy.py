"""A recording, fault-injecting HTTP proxy in front of the S3 gateway (stdlib only).

glacier-sync is pointed at the proxy with --endpoint-url. Requests are forwarded to the
gateway byte for byte, Host header included: SigV4 signs the Host the client sent and
the gateway checks the signature against the Host it receives, so an unchanged request
still verifies.

Every request is recorded (method, target, headers). Faults can be injected for
requests that match a rule, a given number of times or always:
  - answer with a status and an S3 error document instead of forwarding;
  - forward, but cut the response body short after N bytes;
  - forward, but stall for S seconds after N body bytes, then drop the connection.
"""

import socket
import socketserver
import threading
import time
import urllib.parse
import re

_REASONS = {
    200: "OK",
    206: "Partial Content",
    301: "Moved Permanently",
    307: "Temporary Redirect",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    412: "Precondition Failed",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class Request:
    def __init__(self, method, target, headers):
        self.method = method
        self.target = target  # raw request-target: path?query
        self.headers = headers  # {lower-case name: value}
        split = urllib.parse.urlsplit(target)
        self.raw_path = split.path
        self.path = urllib.parse.unquote(split.path)
        self.query = dict(urllib.parse.parse_qsl(split.query, keep_blank_values=True))
        self.status = None  # filled in once answered
        self.time = time.monotonic()  # when the request arrived

    @property
    def signed_region(self):
        match = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/s3/aws4_request", self.headers.get("authorization", ""))
        return match.group(1) if match else None

    @property
    def is_list(self):
        return self.method == "GET" and self.query.get("list-type") == "2"

    def object_key(self):
        """The key of a path-style object request (/bucket/key), or None for bucket requests."""
        parts = self.path.lstrip("/").split("/", 1)
        return parts[1] if len(parts) == 2 and parts[1] != "" else None

    def __repr__(self):
        return f"{self.method} {self.target} -> {self.status}"


def error_document(code, message, **extra):
    fields = "".join(f"<{name}>{value}</{name}>" for name, value in extra.items())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Error><Code>{code}</Code><Message>{message}</Message>{fields}"
        "<RequestId>proxy-injected</RequestId><HostId>proxy</HostId></Error>"
    ).encode()


class Fault:
    """What to do with a matching request. times=None means always."""

    def __init__(self, predicate, times=None, status=None, body=b"", headers=None,
                 truncate_after=None, stall_after=None, stall_seconds=0.0, corrupt_at=None,
                 add_headers=None):
        self.predicate = predicate
        self.remaining = times
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.truncate_after = truncate_after
        self.stall_after = stall_after
        self.stall_seconds = stall_seconds
        self.corrupt_at = corrupt_at  # body offset of one byte to flip; the length stays right
        self.add_headers = add_headers or {}  # added to the real server's response head
        self.fired = 0
        self.fired_event = threading.Event()  # set once a stall or truncation has been sent

    def take(self, request):
        if self.remaining == 0 or not self.predicate(request):
            return False
        if self.remaining is not None:
            self.remaining -= 1
        self.fired += 1
        return True


class _Handler(socketserver.BaseRequestHandler):
    def setup(self):
        self.client = None
        self.reader = None
        self.upstream = None
        self.upstream_reader = None
        context = self.server.proxy.tls_context
        if context is not None:
            try:
                self.request.settimeout(30)
                self.request = context.wrap_socket(self.request, server_side=True)
                self.request.settimeout(None)
            except (OSError, ValueError):  # a client that does not trust our certificate
                self.server.proxy.tls_failures += 1
                return
        self.client = self.request
        self.client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = self.client.makefile("rb")

    def finish(self):
        for closable in (self.reader, self.upstream_reader, self.upstream):
            try:
                if closable is not None:
                    closable.close()
            except OSError:
                pass

    def _connect_upstream(self):
        if self.upstream is None:
            proxy = self.server.proxy
            self.upstream = socket.create_connection((proxy.upstream_host, proxy.upstream_port), timeout=120)
            self.upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.upstream_reader = self.upstream.makefile("rb")

    @staticmethod
    def _read_head(reader):
        """Returns (raw bytes, start line, {lower name: value}) or None at EOF."""
        raw = b""
        while True:
            line = reader.readline(65537)
            if not line:
                return None
            raw += line
            if line in (b"\r\n", b"\n"):
                break
        lines = raw.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        return raw, lines[0], headers

    @staticmethod
    def _read_body(reader, headers):
        """Reads a request body (Content-Length or chunked) and returns its raw bytes."""
        if "chunked" in headers.get("transfer-encoding", "").lower():
            raw = b""
            while True:
                size_line = reader.readline()
                raw += size_line
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while True:
                        trailer = reader.readline()
                        raw += trailer
                        if trailer in (b"\r\n", b"\n", b""):
                            return raw
                raw += reader.read(size + 2)
        length = int(headers.get("content-length", "0") or 0)
        return reader.read(length) if length else b""

    def handle(self):
        proxy = self.server.proxy
        if self.client is None:
            return
        try:
            while True:
                head = self._read_head(self.reader)
                if head is None:
                    return
                raw_head, start_line, headers = head
                method, target, _ = (start_line.split(" ", 2) + ["", ""])[:3]
                body = self._read_body(self.reader, headers)
                request = Request(method, target, headers)
                fault = proxy._record_and_match(request)
                if fault is not None and fault.status is not None:
                    self._answer(request, fault)
                    continue
                if not self._forward(request, raw_head + body, fault):
                    return
        except (OSError, ValueError):  # includes TLS handshake failures of a distrusting client
            return

    def _answer(self, request, fault):
        request.status = fault.status
        head = f"HTTP/1.1 {fault.status} {_REASONS.get(fault.status, 'Error')}\r\n"
        headers = {"Content-Type": "application/xml", "x-amz-request-id": "proxy-injected"}
        headers.update(fault.headers)
        headers["Content-Length"] = str(len(fault.body))
        head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
        payload = head.encode("latin-1")
        if request.method != "HEAD":
            payload += fault.body
        self.client.sendall(payload)

    def _forward(self, request, raw_request, fault):
        """Relays one exchange; returns False when the client connection must close."""
        self._connect_upstream()
        self.upstream.sendall(raw_request)
        while True:
            head = self._read_head(self.upstream_reader)
            if head is None:
                return False
            raw_head, status_line, headers = head
            status = int(status_line.split(" ")[1])
            if 100 <= status < 200:
                self.client.sendall(raw_head)
                continue
            break
        request.status = status
        if fault is not None and fault.add_headers:
            extra = "".join(f"{name}: {value}\r\n" for name, value in fault.add_headers.items())
            raw_head = raw_head[:-2] + extra.encode("latin-1") + b"\r\n"
        no_body = request.method == "HEAD" or status in (204, 304)
        if no_body:
            self.client.sendall(raw_head)
            return True
        if "chunked" in headers.get("transfer-encoding", "").lower():
            self.client.sendall(raw_head)
            self.client.sendall(self._read_body(self.upstream_reader, headers))
            return True
        if "content-length" not in headers:
            self.client.sendall(raw_head)
            while True:
                chunk = self.upstream_reader.read1(65536)
                if not chunk:
                    return False
                self.client.sendall(chunk)
        length = int(headers["content-length"])
        cut = None
        if fault is not None and fault.truncate_after is not None:
            cut = fault.truncate_after
        if fault is not None and fault.stall_after is not None:
            cut = fault.stall_after
        self.client.sendall(raw_head)
        sent = 0
        while sent < length:
            want = min(65536, length - sent)
            if cut is not None:
                want = min(want, cut - sent)
                if want <= 0:
                    break
            chunk = self.upstream_reader.read(want)
            if not chunk:
                return False
            if fault is not None and fault.corrupt_at is not None and sent <= fault.corrupt_at < sent + len(chunk):
                flipped = bytearray(chunk)
                flipped[fault.corrupt_at - sent] ^= 0x01
                chunk = bytes(flipped)
                fault.fired_event.set()
            self.client.sendall(chunk)
            sent += len(chunk)
        if cut is not None and sent < length:
            fault.fired_event.set()
            if fault.stall_after is not None:
                deadline = time.monotonic() + fault.stall_seconds
                while time.monotonic() < deadline and not self.server.proxy._stopping.is_set():
                    time.sleep(0.05)
            # The upstream still has the rest of the body in flight: drop both sides.
            try:
                self.client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return False
        return True


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def handle_error(self, request, client_address):
        pass  # a client dropping a connection mid-exchange is routine in fault tests


class RecordingProxy:
    def __init__(self, upstream_endpoint, tls_context=None):
        """tls_context: an ssl.SSLContext to serve HTTPS (the upstream stays plain HTTP)."""
        self.tls_context = tls_context
        self.tls_failures = 0
        parsed = urllib.parse.urlsplit(upstream_endpoint)
        self.upstream_host = parsed.hostname
        self.upstream_port = parsed.port or 80
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.proxy = self
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = None
        self.requests = []
        self.faults = []

    @property
    def endpoint(self):
        host, port = self._server.server_address
        scheme = "https" if self.tls_context is not None else "http"
        return f"{scheme}://{host}:{port}"

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _record_and_match(self, request):
        with self._lock:
            self.requests.append(request)
            for fault in self.faults:
                if fault.take(request):
                    return fault
        return None

    # -- inspection ---------------------------------------------------------------------

    def recorded(self):
        """[(method, target)] of every request so far."""
        with self._lock:
            return [(r.method, r.target) for r in self.requests]

    def all_requests(self):
        with self._lock:
            return list(self.requests)

    def object_gets(self, key=None):
        """GET requests for objects (not listings), optionally for one key."""
        return [
            r
            for r in self.all_requests()
            if r.method == "GET" and r.object_key() is not None and (key is None or r.object_key() == key)
        ]

    def clear(self):
        with self._lock:
            self.requests.clear()

    # -- faults --------------------------------------------------------------------------

    def add_fault(self, fault):
        with self._lock:
            self.faults.append(fault)
        return fault

    def fail_key(self, key, status, code, times=None, message="injected by the test proxy", headers=None,
                 method="GET"):
        """Answers requests for one object key with an S3 error."""
        return self.add_fault(
            Fault(
                lambda r: r.method == method and r.object_key() == key,
                times=times,
                status=status,
                body=error_document(code, message),
                headers=headers,
            )
        )

    def fail_lists(self, status, code, times=None, headers=None, extra=None):
        """Answers ListObjectsV2 requests with an S3 error."""
        return self.add_fault(
            Fault(
                lambda r: r.is_list,
                times=times,
                status=status,
                body=error_document(code, "injected by the test proxy", **(extra or {})),
                headers=headers,
            )
        )

    def fail_all(self, status, code, times=None, extra=None):
        return self.add_fault(
            Fault(lambda r: True, times=times, status=status,
                  body=error_document(code, "injected by the test proxy", **(extra or {})))
        )

    def truncate_key(self, key, after_bytes, times=1):
        return self.add_fault(
            Fault(lambda r: r.method == "GET" and r.object_key() == key, times=times, truncate_after=after_bytes)
        )

    def corrupt_key(self, key, at_byte, times=1):
        """Flips one bit of byte `at_byte` of a GET's body, as a faulty network path would."""
        return self.add_fault(
            Fault(lambda r: r.method == "GET" and r.object_key() == key, times=times, corrupt_at=at_byte)
        )

    def stall_key(self, key, after_bytes, seconds, times=1):
        return self.add_fault(
            Fault(
                lambda r: r.method == "GET" and r.object_key() == key,
                times=times,
                stall_after=after_bytes,
                stall_seconds=seconds,
            )
        )

    def require_region(self, region, style):
        """Answers every request not signed for `region` with AWS's region-mismatch error.

        style "301": PermanentRedirect with x-amz-bucket-region (what S3 says to a
        request sent to the wrong regional endpoint); style "400":
        AuthorizationHeaderMalformed naming the expected region in <Region>.
        """
        predicate = lambda r: r.signed_region != region  # noqa: E731
        if style == "301":
            fault = Fault(
                predicate,
                status=301,
                body=error_document(
                    "PermanentRedirect",
                    "The bucket you are attempting to access must be addressed using the specified endpoint.",
                    Endpoint=self.endpoint.split("://", 1)[1],
                ),
                headers={"x-amz-bucket-region": region},
            )
        elif style == "400":
            fault = Fault(
                predicate,
                status=400,
                body=error_document(
                    "AuthorizationHeaderMalformed",
                    "The authorization header is malformed; the region is wrong; expecting '" + region + "'",
                    Region=region,
                ),
            )
        else:
            raise ValueError(style)
        return self.add_fault(fault)
