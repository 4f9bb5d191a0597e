"""The fault-injection suite: the project's proxy between glacier-sync and the gateway.

Each test injects one kind of fault, or a mix, and asserts three things: the final tree is
complete and byte-identical to the bucket (or exactly the files that could not be fetched
are missing), every count in the summary is true, and the requests on the wire show the
retry behaviour the fault calls for (retried, or not retried at all).
"""

import os
import time

import gsync_testlib as lib
from gsync_testlib import key
from recording_proxy import Fault, error_document

MiB = 1024 * 1024


class FaultCase(lib.GsyncTestCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.objects = {
            key("sentinel2", f"{100 + r}_Region/clipped/scene_{i}.tif"): lib.deterministic_bytes(r * 10 + i, 3000 + 997 * i)
            for r in range(4) for i in range(5)
        }
        self.big = key("sentinel2", "150_Big/download/2025/tile.tif")
        self.objects[self.big] = lib.deterministic_bytes(150, 5 * MiB + 77)
        self.put_objects(self.bucket, self.objects)
        self.write_config(self.bucket)
        self.proxy = self.start_proxy()
        self.keys = sorted(k for k in self.objects if k != self.big)

    def run_via_proxy(self, *args, retries="4"):
        return self.run_gsync("sentinel2", "--retries", retries, "--multipart-threshold", "2MiB",
                              "--part-size", "1MiB", *args, "--endpoint-url", self.proxy.endpoint)

    def assertComplete(self, result, missing=()):
        expected = {os.path.join(*k.split("/")): v for k, v in self.objects.items() if k not in missing}
        self.assertEqual(lib.files_under(self.data_dir), expected, result.describe())
        self.assertSummary(result, downloaded=len(self.objects) - len(missing), failed=len(missing),
                           skipped=0, kept=0)
        self.assertExit(result, 1 if missing else 0)

    def gets(self, object_key):
        return len(self.proxy.object_gets(object_key))


class TransientFaultTest(FaultCase):
    def test_connection_dropped_mid_body(self):
        for victim in self.keys[:3]:
            self.proxy.truncate_key(victim, after_bytes=1000, times=2)
        self.proxy.add_fault(Fault(lambda r: r.object_key() == self.big and "bytes=1048576-" in r.headers.get("range", ""),
                                   times=1, truncate_after=5000))
        result = self.run_via_proxy()
        self.assertComplete(result)
        for victim in self.keys[:3]:
            self.assertEqual(self.gets(victim), 3)

    def test_500_502_503_504_are_retried(self):
        for status, code, victim in zip((500, 502, 503, 504), ("InternalError", "BadGateway", "ServiceUnavailable",
                                                                "GatewayTimeout"), self.keys):
            self.proxy.fail_key(victim, status, code, times=2)
        result = self.run_via_proxy()
        self.assertComplete(result)
        for victim in self.keys[:4]:
            self.assertEqual(self.gets(victim), 3)

    def test_slowdown_429_and_request_timeout_are_retried(self):
        self.proxy.fail_key(self.keys[0], 503, "SlowDown", times=3)
        self.proxy.fail_key(self.keys[1], 429, "TooManyRequests", times=1)
        self.proxy.fail_key(self.keys[2], 400, "RequestTimeout", times=1)
        result = self.run_via_proxy()
        self.assertComplete(result)
        self.assertEqual([self.gets(k) for k in self.keys[:3]], [4, 2, 2])

    def test_retry_after_is_honoured(self):
        victim = self.keys[0]
        self.proxy.fail_key(victim, 503, "SlowDown", times=1, headers={"Retry-After": "2"})
        result = self.run_via_proxy()
        self.assertComplete(result)
        first, second = self.proxy.object_gets(victim)[:2]
        self.assertGreaterEqual(second.time - first.time, 1.9, "Retry-After: 2 was not waited for")

    def test_a_stalled_body_is_abandoned_and_retried(self):
        # Sends part of the body, then nothing: the low-speed limit ends the attempt.
        victim = self.keys[0]
        self.proxy.stall_key(victim, after_bytes=100, seconds=30, times=1)
        start = time.monotonic()
        result = self.run_via_proxy("--stall-timeout", "2")
        self.assertComplete(result)
        self.assertLess(time.monotonic() - start, 25, "the stall was waited out, not detected")
        self.assertEqual(self.gets(victim), 2)

    def test_a_flipped_byte_is_caught_and_fetched_again(self):
        self.proxy.corrupt_key(self.keys[0], at_byte=100, times=1)
        self.proxy.add_fault(Fault(lambda r: r.object_key() == self.big and "bytes=0-" in r.headers.get("range", ""),
                                   times=1, corrupt_at=4242))
        result = self.run_via_proxy()
        self.assertComplete(result)
        self.assertEqual(self.gets(self.keys[0]), 2)

    def test_everything_at_once(self):
        self.proxy.truncate_key(self.keys[0], after_bytes=10, times=1)
        self.proxy.fail_key(self.keys[1], 503, "SlowDown", times=2)
        self.proxy.fail_key(self.keys[2], 500, "InternalError", times=1)
        self.proxy.corrupt_key(self.keys[3], at_byte=0, times=1)
        self.proxy.fail_lists(503, "SlowDown", times=2)
        result = self.run_via_proxy()
        self.assertComplete(result)


class PermanentFaultTest(FaultCase):
    def test_400_403_404_are_not_retried(self):
        self.proxy.fail_key(self.keys[0], 400, "InvalidRequest")
        self.proxy.fail_key(self.keys[1], 403, "AccessDenied")
        self.proxy.fail_key(self.keys[2], 404, "NoSuchKey")
        result = self.run_via_proxy()
        self.assertComplete(result, missing=self.keys[:3])
        self.assertEqual([self.gets(k) for k in self.keys[:3]], [1, 1, 1])
        for victim in self.keys[:3]:
            self.assertIn(f"s3://{self.bucket}/{victim}", result.stderr)

    def test_retries_run_out_and_only_that_file_fails(self):
        self.proxy.fail_key(self.keys[0], 503, "SlowDown")
        result = self.run_via_proxy(retries="2")
        self.assertComplete(result, missing=self.keys[:1])
        self.assertEqual(self.gets(self.keys[0]), 3)  # the first attempt and 2 retries

    def test_default_is_five_attempts(self):
        self.proxy.fail_key(self.keys[0], 500, "InternalError")
        result = self.run_gsync("sentinel2", "--endpoint-url", self.proxy.endpoint, timeout=120)
        self.assertExit(result, 1)
        self.assertEqual(self.gets(self.keys[0]), 5)


if __name__ == "__main__":
    lib.main()
