"""Shared helpers for the glacier-sync integration tests (Python stdlib only).

The tests run against the Ceph RADOS Gateway started by scripts/start-test-s3.sh and
the binary named by $GSYNC_BINARY. A missing gateway or binary is a test failure,
never a skip: a suite that silently skips proves nothing.
"""

import base64
import concurrent.futures
import datetime
import hashlib
import hmac
import http.client
import os
import random
import re
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

PREFIX = "1_download_merge_and_clip"
S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
TEST_REGION = "us-east-1"

# Where a run's PATH comes from; a test that wants HPC adds a fake sbatch in front.
_BASE_PATH_DIRS = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]


class SetupError(AssertionError):
    """The test environment is broken (no gateway, no binary): a failure, not a skip."""


# ---------------------------------------------------------------------------------
# Environment: the gateway's env file and the binary under test.
# ---------------------------------------------------------------------------------


def state_dir():
    return os.environ.get("GSYNC_S3_STATE_DIR", "/tmp/gsync-test-s3")


def load_gateway_env():
    """Returns the variables written by start-test-s3.sh (`export K=V` lines)."""
    path = os.path.join(state_dir(), "env")
    if not os.path.isfile(path):
        raise SetupError(
            f"{path} is missing: the S3 gateway is not running (run scripts/start-test-s3.sh)"
        )
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            match = re.match(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$", line)
            if match:
                values[match.group(1)] = match.group(2).strip().strip("'\"")
    for required in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GSYNC_TEST_ENDPOINT"):
        if not values.get(required):
            raise SetupError(f"{path} does not define {required}")
    return values


def binary_path():
    path = os.environ.get("GSYNC_BINARY")
    if not path:
        source = os.environ.get("GSYNC_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
        path = os.path.join(source, "build", "glacier-sync")
    path = os.path.abspath(path)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise SetupError(f"glacier-sync binary not found or not executable: {path} (set GSYNC_BINARY)")
    return path


def source_dir():
    return os.path.abspath(
        os.environ.get("GSYNC_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
    )


def inside_git_work_tree(path):
    result = subprocess.run(
        ["git", "-C", path, "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
    )
    return result.returncode == 0 and result.stdout.strip() == "true"


# ---------------------------------------------------------------------------------
# A small SigV4 S3 client (path-style), enough to prepare buckets for the tests.
# ---------------------------------------------------------------------------------


def uri_encode(text, safe="/"):
    """S3's encoding: every byte but the unreserved characters, each segment once."""
    return urllib.parse.quote(text, safe=safe + "~")


class S3Error(Exception):
    def __init__(self, status, body, method, target):
        super().__init__(f"{method} {target} -> HTTP {status}: {body[:500]!r}")
        self.status = status
        self.body = body


class S3Object:
    def __init__(self, key, size, etag, last_modified):
        self.key = key
        self.size = size
        self.etag = etag
        self.last_modified = last_modified  # aware datetime (UTC)

    def __repr__(self):
        return f"S3Object({self.key!r}, {self.size})"


def parse_iso8601(text):
    text = text.strip().replace("Z", "+00:00")
    return datetime.datetime.fromisoformat(text)


class S3Client:
    def __init__(self, endpoint, access_key, secret_key, region=TEST_REGION, session_token=None):
        parsed = urllib.parse.urlsplit(endpoint)
        if parsed.scheme != "http":
            raise ValueError("the test client speaks plain http to the loopback gateway")
        self.host = parsed.hostname
        self.port = parsed.port or 80
        self.netloc = parsed.netloc
        self.access_key = access_key
        self.secret_key = secret_key
        self.region = region
        self.session_token = session_token

    @classmethod
    def from_env(cls, env):
        return cls(env["GSYNC_TEST_ENDPOINT"], env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"])

    # -- signing -------------------------------------------------------------------

    def _sign(self, method, path, query, headers, payload_hash):
        now = datetime.datetime.now(datetime.timezone.utc)
        amz_date = now.strftime("%Y%m%dT%H%M%SZ")
        datestamp = now.strftime("%Y%m%d")
        headers = dict(headers)
        headers["host"] = self.netloc
        headers["x-amz-date"] = amz_date
        headers["x-amz-content-sha256"] = payload_hash
        if self.session_token:
            headers["x-amz-security-token"] = self.session_token
        lower = {k.lower(): str(v).strip() for k, v in headers.items()}
        signed = sorted(lower)
        canonical_headers = "".join(f"{name}:{lower[name]}\n" for name in signed)
        signed_headers = ";".join(signed)
        canonical_query = "&".join(
            f"{uri_encode(k, safe='')}={uri_encode(v, safe='')}" for k, v in sorted(query)
        )
        canonical_request = "\n".join(
            [method, path, canonical_query, canonical_headers, signed_headers, payload_hash]
        )
        scope = f"{datestamp}/{self.region}/s3/aws4_request"
        string_to_sign = "\n".join(
            [
                "AWS4-HMAC-SHA256",
                amz_date,
                scope,
                hashlib.sha256(canonical_request.encode()).hexdigest(),
            ]
        )

        def mac(key, msg):
            return hmac.new(key, msg.encode(), hashlib.sha256).digest()

        key = mac(("AWS4" + self.secret_key).encode(), datestamp)
        key = mac(key, self.region)
        key = mac(key, "s3")
        key = mac(key, "aws4_request")
        signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
        headers["Authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={self.access_key}/{scope}, "
            f"SignedHeaders={signed_headers}, Signature={signature}"
        )
        return headers, canonical_query

    def request(self, method, bucket, key=None, query=(), body=b"", headers=None, ok=(200, 204)):
        path = "/" + uri_encode(bucket)
        if key is not None:
            path += "/" + uri_encode(key)
        payload_hash = hashlib.sha256(body).hexdigest()
        all_headers, canonical_query = self._sign(method, path, list(query), headers or {}, payload_hash)
        target = path + ("?" + canonical_query if canonical_query else "")
        last_error = None
        # The gateway occasionally drops a pooled connection; a fresh one per request
        # keeps the client simple and a single retry covers a reset.
        for _ in range(3):
            conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
                for name, value in all_headers.items():
                    conn.putheader(name, value)
                conn.putheader("Content-Length", str(len(body)))
                conn.endheaders(body)
                response = conn.getresponse()
                data = response.read()
                if response.status not in ok:
                    raise S3Error(response.status, data, method, target)
                return response, data
            except (ConnectionError, http.client.RemoteDisconnected) as error:
                last_error = error
                time.sleep(0.2)
            finally:
                conn.close()
        raise last_error

    # -- operations ------------------------------------------------------------------

    def create_bucket(self, bucket):
        self.request("PUT", bucket)

    def put_object(self, bucket, key, data):
        if isinstance(data, str):
            data = data.encode()
        self.request("PUT", bucket, key, body=data)

    def delete_object(self, bucket, key):
        self.request("DELETE", bucket, key)

    def head_object(self, bucket, key):
        response, _ = self.request("HEAD", bucket, key)
        return response

    def get_object(self, bucket, key):
        _, data = self.request("GET", bucket, key)
        return data

    def list_objects(self, bucket, prefix=""):
        objects = []
        token = None
        while True:
            query = [("list-type", "2"), ("encoding-type", "url"), ("prefix", prefix)]
            if token:
                query.append(("continuation-token", token))
            _, data = self.request("GET", bucket, query=query)
            root = ET.fromstring(data)
            for item in root.findall(f"{S3_NS}Contents"):
                objects.append(
                    S3Object(
                        urllib.parse.unquote(item.findtext(f"{S3_NS}Key")),
                        int(item.findtext(f"{S3_NS}Size")),
                        item.findtext(f"{S3_NS}ETag").strip('"'),
                        parse_iso8601(item.findtext(f"{S3_NS}LastModified")),
                    )
                )
            if root.findtext(f"{S3_NS}IsTruncated") != "true":
                return objects
            token = root.findtext(f"{S3_NS}NextContinuationToken")

    def delete_objects(self, bucket, keys):
        for start in range(0, len(keys), 1000):
            batch = keys[start : start + 1000]
            root = ET.Element("Delete")
            ET.SubElement(root, "Quiet").text = "true"
            for key in batch:
                ET.SubElement(ET.SubElement(root, "Object"), "Key").text = key
            body = ET.tostring(root)
            md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
            self.request("POST", bucket, query=[("delete", "")], body=body, headers={"Content-MD5": md5})

    def abort_all_multipart_uploads(self, bucket):
        _, data = self.request("GET", bucket, query=[("uploads", "")])
        root = ET.fromstring(data)
        for upload in root.findall(f"{S3_NS}Upload"):
            self.request(
                "DELETE",
                bucket,
                upload.findtext(f"{S3_NS}Key"),
                query=[("uploadId", upload.findtext(f"{S3_NS}UploadId"))],
            )

    def delete_bucket(self, bucket):
        """Removes the bucket and everything in it."""
        self.abort_all_multipart_uploads(bucket)
        keys = [o.key for o in self.list_objects(bucket)]
        if keys:
            self.delete_objects(bucket, keys)
        self.request("DELETE", bucket)

    def multipart_upload(self, bucket, key, data, part_size=5 * 1024 * 1024):
        """CreateMultipartUpload / UploadPart / Complete; returns the ETag (ends in -N)."""
        _, body = self.request("POST", bucket, key, query=[("uploads", "")])
        upload_id = ET.fromstring(body).findtext(f"{S3_NS}UploadId")
        parts = []
        for number, start in enumerate(range(0, len(data), part_size), start=1):
            response, _ = self.request(
                "PUT",
                bucket,
                key,
                query=[("partNumber", str(number)), ("uploadId", upload_id)],
                body=data[start : start + part_size],
            )
            parts.append((number, response.getheader("ETag")))
        root = ET.Element("CompleteMultipartUpload")
        for number, etag in parts:
            part = ET.SubElement(root, "Part")
            ET.SubElement(part, "PartNumber").text = str(number)
            ET.SubElement(part, "ETag").text = etag
        _, body = self.request(
            "POST", bucket, key, query=[("uploadId", upload_id)], body=ET.tostring(root)
        )
        etags = [e.text for e in ET.fromstring(body).iter() if e.tag.endswith("ETag") and e.text]
        return etags[0].strip('"') if etags else None


# ---------------------------------------------------------------------------------
# aws-cli v2 (Debian's), isolated from any user configuration.
# ---------------------------------------------------------------------------------


def aws_v2_env(gateway_env):
    env = {
        "PATH": ":".join(_BASE_PATH_DIRS),
        "HOME": tempfile.gettempdir(),
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_ACCESS_KEY_ID": gateway_env["AWS_ACCESS_KEY_ID"],
        "AWS_SECRET_ACCESS_KEY": gateway_env["AWS_SECRET_ACCESS_KEY"],
        "AWS_DEFAULT_REGION": TEST_REGION,
        "AWS_PAGER": "",
    }
    return env


def run_aws_v2(gateway_env, *args, timeout=300):
    aws = gateway_env.get("GSYNC_AWS_V2") or "/usr/bin/aws"
    command = [aws, "--endpoint-url", gateway_env["GSYNC_TEST_ENDPOINT"], *args]
    result = subprocess.run(
        command, env=aws_v2_env(gateway_env), capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise AssertionError(
            f"aws-cli failed ({result.returncode}): {' '.join(command)}\n{result.stdout}\n{result.stderr}"
        )
    return result


# ---------------------------------------------------------------------------------
# Running glacier-sync.
# ---------------------------------------------------------------------------------


class RunResult:
    def __init__(self, code, stdout, stderr, command):
        self.code = code
        self.stdout = stdout
        self.stderr = stderr
        self.command = command

    @property
    def output(self):
        return self.stdout + self.stderr

    def describe(self):
        return (
            f"command: {' '.join(self.command)}\nexit code: {self.code}\n"
            f"--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"
        )

    def summary(self):
        """The `Summary:` counters as a dict, e.g. {'downloaded': 3, ...}."""
        for line in self.stdout.splitlines():
            if line.strip().startswith("Summary:"):
                return {name: int(value) for name, value in re.findall(r"([a-z]+)\s+(\d+)", line)}
        return None


def write_config(path, *, bucket, local_base_dir=None, base_dir=None, endpoint_url=None,
                 region=TEST_REGION, prefix=None, extra=""):
    """Writes a config.ini in the shape of the pipeline's shared file."""
    lines = [
        "[REGIONS]",
        "regions = 138_SermiitsiaqInTasermiut",
        "start_end_index =",
        "",
        "[PATHS]",
        "# Base output directory on HPC",
        f"base_dir = {base_dir or '/nonexistent/hpc'}",
        "; Base output directory for local runs",
        f"local_base_dir = {local_base_dir or '/nonexistent/local'}",
        "",
        "[SETTINGS]",
        "cores = 1",
        "memory = 60G",
        "dry_run = False",
        "",
        "[S3]",
        f"bucket = {bucket}",
    ]
    if endpoint_url:
        lines.append(f"endpoint_url = {endpoint_url}")
    if region:
        lines.append(f"region = {region}")
    if prefix is not None:
        lines.append(f"prefix = {prefix}")
    text = "\n".join(lines) + "\n" + extra
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


class GsyncTestCase(unittest.TestCase):
    """Base class: a gateway client, a scratch folder per test, helpers to run the binary."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.gateway_env = load_gateway_env()
        cls.endpoint = cls.gateway_env["GSYNC_TEST_ENDPOINT"]
        cls.access_key = cls.gateway_env["AWS_ACCESS_KEY_ID"]
        cls.secret_key = cls.gateway_env["AWS_SECRET_ACCESS_KEY"]
        cls.binary = binary_path()
        cls.s3 = S3Client.from_env(cls.gateway_env)
        try:
            conn = http.client.HTTPConnection(cls.s3.host, cls.s3.port, timeout=5)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
        except OSError as error:
            raise SetupError(f"the S3 gateway at {cls.endpoint} does not answer: {error}")

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="gsync-it-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        if inside_git_work_tree(self.tmp):
            raise SetupError(f"{self.tmp} is inside a git work tree; set TMPDIR elsewhere")
        self.data_dir = self.mkdir("data")
        self.hpc_dir = self.mkdir("hpc")
        self.home = self.mkdir("home")
        self.cwd = self.mkdir("cwd")
        self.config_path = os.path.join(self.tmp, "cfg", "config.ini")

    # -- scratch files -------------------------------------------------------------

    def mkdir(self, *parts):
        path = os.path.join(self.tmp, *parts)
        os.makedirs(path, exist_ok=True)
        return path

    def local_path(self, key, data_dir=None):
        """Where an object key lands under a data dir."""
        return os.path.join(data_dir or self.data_dir, *key.split("/"))

    def fake_sbatch_dir(self):
        directory = self.mkdir("fakebin")
        sbatch = os.path.join(directory, "sbatch")
        with open(sbatch, "w") as f:
            f.write("#!/bin/sh\necho 'fake sbatch' >&2\nexit 1\n")
        os.chmod(sbatch, 0o755)
        return directory

    # -- buckets ----------------------------------------------------------------------

    def new_bucket(self, tag=None):
        tag = tag or self._testMethodName
        tag = re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-")[:36]
        suffix = "".join(random.choices(string.ascii_lowercase + string.digits, k=8))
        bucket = f"gsync-{tag}-{suffix}"
        self.s3.create_bucket(bucket)
        self.addCleanup(self._delete_bucket_quietly, bucket)
        return bucket

    def _delete_bucket_quietly(self, bucket):
        try:
            self.s3.delete_bucket(bucket)
        except Exception as error:  # cleanup must not hide the test's own result
            print(f"warning: could not delete bucket {bucket}: {error}", file=sys.stderr)

    def put_objects(self, bucket, objects, workers=16):
        """objects: {key: bytes}. Uploaded in parallel; returns {key: S3Object}."""
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda item: self.s3.put_object(bucket, item[0], item[1]), objects.items()))
        return {o.key: o for o in self.s3.list_objects(bucket)}

    # -- config and runs -------------------------------------------------------------

    def write_config(self, bucket, path=None, **kwargs):
        kwargs.setdefault("local_base_dir", self.data_dir)
        kwargs.setdefault("base_dir", self.hpc_dir)
        kwargs.setdefault("endpoint_url", self.endpoint)
        return write_config(path or self.config_path, bucket=bucket, **kwargs)

    def base_env(self, credentials=True, path_dirs=None):
        env = {
            "HOME": self.home,
            "PATH": ":".join((path_dirs or []) + _BASE_PATH_DIRS),
            "NO_COLOR": "1",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TMPDIR": tempfile.gettempdir(),
        }
        if credentials:
            env["AWS_ACCESS_KEY_ID"] = self.access_key
            env["AWS_SECRET_ACCESS_KEY"] = self.secret_key
        return env

    def run_gsync(self, *args, config=True, env=None, env_extra=None, credentials=True, cwd=None,
                  binary=None, timeout=180, path_dirs=None):
        """Runs the binary with a controlled environment; returns a RunResult."""
        command = [binary or self.binary]
        if config is True:
            command += ["--config", self.config_path]
        elif config:
            command += ["--config", config]
        command += [str(a) for a in args]
        run_env = env if env is not None else self.base_env(credentials, path_dirs)
        if env_extra:
            run_env.update(env_extra)
        result = subprocess.run(
            command,
            env=run_env,
            cwd=cwd or self.cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
        )
        return RunResult(
            result.returncode,
            result.stdout.decode("utf-8", errors="replace"),
            result.stderr.decode("utf-8", errors="replace"),
            command,
        )

    def start_gsync(self, *args, config=True, env_extra=None, cwd=None):
        """Starts the binary in the background (for signal tests); returns the Popen."""
        command = [self.binary]
        if config is True:
            command += ["--config", self.config_path]
        command += [str(a) for a in args]
        run_env = self.base_env()
        if env_extra:
            run_env.update(env_extra)
        process = subprocess.Popen(
            command,
            env=run_env,
            cwd=cwd or self.cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

        def reap():
            if process.poll() is None:
                process.kill()
            process.communicate()

        self.addCleanup(reap)
        return process

    # Peak RSS is measured by a small helper that fork()s and exec()s the binary and reads
    # wait4's rusage. Spawning the binary straight from this process would not do: Python
    # starts children with vfork, and Linux then counts this (large) process's high-water
    # RSS in the child's ru_maxrss.
    _MEASURE_HELPER = (
        "import os, sys\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    os.execv(sys.argv[2], sys.argv[2:])\n"
        "_, status, usage = os.wait4(pid, 0)\n"
        "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
        "sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)\n"
    )

    def run_gsync_measured(self, *args, env_extra=None, timeout=180):
        """Like run_gsync, but also returns the binary's peak RSS in KiB."""
        command = [self.binary, "--config", self.config_path, *[str(a) for a in args]]
        run_env = self.base_env()
        if env_extra:
            run_env.update(env_extra)
        peak_file = os.path.join(self.tmp, "peak-rss")
        result = subprocess.run(
            [sys.executable, "-c", self._MEASURE_HELPER, peak_file, *command],
            env=run_env,
            cwd=self.cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
        )
        with open(peak_file) as f:
            peak = int(f.read())
        run = RunResult(
            result.returncode,
            result.stdout.decode("utf-8", errors="replace"),
            result.stderr.decode("utf-8", errors="replace"),
            command,
        )
        return run, peak

    def start_proxy(self, upstream=None, tls_context=None):
        from recording_proxy import RecordingProxy  # a sibling module

        proxy = RecordingProxy(upstream or self.endpoint, tls_context=tls_context)
        proxy.start()
        self.addCleanup(proxy.stop)
        return proxy

    # -- assertions --------------------------------------------------------------------

    def assertExit(self, result, code):
        self.assertEqual(result.code, code, f"unexpected exit code\n{result.describe()}")

    def assertInOutput(self, text, result, stream="stdout"):
        haystack = getattr(result, stream)
        self.assertIn(text, haystack, f"{text!r} not in {stream}\n{result.describe()}")

    def assertNotInOutput(self, text, result, stream="output"):
        haystack = getattr(result, stream)
        self.assertNotIn(text, haystack, f"{text!r} unexpectedly in {stream}\n{result.describe()}")

    def assertLinesInOrder(self, result, patterns):
        """Each regex matches a stdout line after the line that matched the previous one."""
        lines = result.stdout.splitlines()
        position = 0
        for pattern in patterns:
            regex = re.compile(pattern)
            while position < len(lines) and not regex.search(lines[position]):
                position += 1
            self.assertLess(position, len(lines), f"no line matching {pattern!r} in order\n{result.describe()}")
            position += 1

    def assertSummary(self, result, **expected):
        summary = result.summary()
        self.assertIsNotNone(summary, f"no Summary: line\n{result.describe()}")
        for name, value in expected.items():
            self.assertEqual(summary.get(name), value, f"summary {name}\n{result.describe()}")

    def assertMtimeMatches(self, path, last_modified, tolerance=1.0):
        mtime = os.stat(path).st_mtime
        self.assertLessEqual(
            abs(mtime - last_modified.timestamp()),
            tolerance,
            f"mtime of {path} is {datetime.datetime.fromtimestamp(mtime, datetime.timezone.utc)}, "
            f"LastModified is {last_modified}",
        )


def files_under(root):
    """{relative path: bytes} of every regular file under root."""
    found = {}
    for directory, _, names in os.walk(root):
        for name in names:
            path = os.path.join(directory, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, root)] = f.read()
    return found


def entries_under(root):
    """Every path (files and folders) under root, relative."""
    found = []
    for directory, dirs, names in os.walk(root):
        for name in dirs + names:
            found.append(os.path.relpath(os.path.join(directory, name), root))
    return sorted(found)


def deterministic_bytes(seed, size):
    return random.Random(seed).randbytes(size)


def main():
    """Runs the calling module's tests; a skipped test or an empty suite is a failure."""
    program = unittest.main(module="__main__", exit=False, verbosity=2)
    result = program.result
    if result.skipped:
        print(f"FAILED: {len(result.skipped)} test(s) skipped; integration tests must not skip",
              file=sys.stderr)
        sys.exit(1)
    if result.testsRun == 0:
        print("FAILED: no tests ran", file=sys.stderr)
        sys.exit(1)
    sys.exit(0 if result.wasSuccessful() else 1)


def key(satellite, rest, prefix=PREFIX):
    return f"{prefix}/{satellite}/{rest}"


def small_dataset(seed=1, prefix=PREFIX):
    """A few objects in the production layout, a few KB each: {key: bytes}."""
    rng = random.Random(seed)

    def blob(low=1000, high=4000):
        return rng.randbytes(rng.randint(low, high))

    return {
        key("sentinel2", "134_Arsuk/clipped/S2A_MSIL2A_20250804T140751_N0511_R053.tif", prefix): blob(),
        key("sentinel2", "134_Arsuk/clipped/S2B_MSIL2A_20250806T141009_N0511_R010.tif", prefix): blob(),
        key("sentinel2", "134_Arsuk/download/2025/T22VFP_20250804T140751_B08.tif", prefix): blob(),
        key("sentinel2", "134_Arsuk/metadata/combined_csv/134_Arsuk.csv", prefix): blob(100, 300),
        key("sentinel2", "134_Arsuk/metadata/individual_csv/S2A_20250804.csv", prefix): blob(100, 300),
        key("sentinel2", "134_Arsuk/template/134_Arsuk_template.tif", prefix): blob(),
        key("sentinel2", "191_Hagen_Brae/clipped/S2A_MSIL2A_20250801T150001_N0511_R068.tif", prefix): blob(),
        key("landsat", "134_Arsuk/20250802141328_LC90010172025214LGN00_LC09_L1TP_ortho.tif", prefix): blob(),
        key("landsat", "_reference/stac_items.json", prefix): blob(200, 600),
    }
