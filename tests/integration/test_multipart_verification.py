"""Multipart ETags verified through the part layout, against moto as a second server.

The local gateway ignores `partNumber`, so multipart objects downloaded from it count as
"not verified" (test_integrity). moto, like AWS, answers HEAD ?partNumber=1 with the first
part's size and x-amz-mp-parts-count: glacier-sync then cuts its ranges at the upload's
part boundaries, hashes each part as it arrives, and checks the ETag's MD5 of part MD5s.
"""

import os
import re
import socket
import subprocess
import sys
import time

import gsync_testlib as lib
from gsync_testlib import key
from recording_proxy import Fault

MiB = 1024 * 1024


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MultipartVerificationTest(lib.GsyncTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        port = free_port()
        cls.moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cls.moto_endpoint = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            cls.moto.kill()
            raise AssertionError("moto server did not start")

    @classmethod
    def tearDownClass(cls):
        cls.moto.terminate()
        cls.moto.wait(timeout=10)
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.moto_s3 = lib.S3Client(self.moto_endpoint, "testing", "testing", region="us-east-1")
        self.bucket = f"mpv-{self._testMethodName[5:30].replace('_', '-')}-{os.getpid()}"
        self.moto_s3.create_bucket(self.bucket)
        self.big = key("sentinel2", "210_Mpu/download/2025/tile.tif")
        self.data = lib.deterministic_bytes(210, 11 * MiB + 5)
        etag = self.moto_s3.multipart_upload(self.bucket, self.big, self.data, part_size=5 * MiB)
        self.assertRegex(etag, r"-3\"?$")
        self.write_config(self.bucket, endpoint_url=self.moto_endpoint, region="us-east-1")
        self.proxy = self.start_proxy(upstream=self.moto_endpoint)

    def run_via_proxy(self, *args):
        return self.run_gsync("sentinel2", "--multipart-threshold", "1MiB", "--retries", "3", *args,
                              "--endpoint-url", self.proxy.endpoint)

    def ranges(self):
        found = []
        for request in self.proxy.object_gets(self.big):
            match = re.fullmatch(r"bytes=(\d+)-(\d+)", request.headers.get("range", ""))
            found.append((int(match.group(1)), int(match.group(2))) if match else None)
        return sorted(found, key=lambda r: (r is None, r))

    def assertDownloaded(self):
        with open(self.local_path(self.big), "rb") as f:
            self.assertTrue(f.read() == self.data, "the downloaded file differs from the object")
        self.assertEqual(os.listdir(os.path.dirname(self.local_path(self.big))), ["tile.tif"])

    def test_parts_follow_the_upload_layout_and_the_etag_is_checked(self):
        result = self.run_via_proxy()
        self.assertExit(result, 0)
        self.assertDownloaded()
        self.assertRegex(result.stdout, r"(?m)^Verified: 1 .*; not verified: 0$")
        heads = [r for r in self.proxy.all_requests() if r.method == "HEAD"]
        self.assertEqual([r.query.get("partNumber") for r in heads], ["1"])
        # The upload's 5 MiB parts, not the default 16 MiB download parts.
        self.assertEqual(self.ranges(), [(0, 5 * MiB - 1), (5 * MiB, 10 * MiB - 1), (10 * MiB, len(self.data) - 1)])

    def test_a_flipped_byte_in_one_part_fails_the_etag_and_is_fetched_again(self):
        fault = self.proxy.add_fault(Fault(lambda r: r.method == "GET" and r.object_key() == self.big and
                                           r.headers.get("range", "").startswith(f"bytes={5 * MiB}-"),
                                           times=1, corrupt_at=1234))
        result = self.run_via_proxy("--verbose")
        self.assertTrue(fault.fired_event.is_set())
        self.assertExit(result, 0)
        self.assertDownloaded()
        self.assertIn("multipart MD5 mismatch", result.stderr)
        self.assertEqual(len(self.ranges()), 6)  # all three parts, twice

    def test_a_server_that_gives_no_layout_means_not_verified(self):
        # The proxy answers the HEAD as the local gateway does: no x-amz-mp-parts-count.
        self.proxy.add_fault(Fault(lambda r: r.method == "HEAD", status=200, body=b"",
                                   headers={"Content-Length": str(len(self.data))}))
        result = self.run_via_proxy()
        self.assertExit(result, 0)
        self.assertDownloaded()
        self.assertRegex(result.stdout, r"(?m)^Verified: 0 .*; not verified: 1 \(multipart ETag: 1\)$")


if __name__ == "__main__":
    lib.main()
