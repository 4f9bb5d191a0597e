"""Integrity: downloaded bytes are checked against the object's MD5 ETag or S3 checksum.

A body that arrives with the right length but a wrong byte (the recording proxy flips one
bit, as a faulty network path or middlebox would) is retried, and never renamed into
place; what could not be checked (multipart ETags on a gateway without partNumber
support) is counted as "not verified" rather than passed off as verified.
"""

import base64
import os
import re
import zlib

import gsync_testlib as lib
from gsync_testlib import key
from recording_proxy import Fault

MiB = 1024 * 1024


def verification(result):
    """(verified, not verified) from the `Verified:` line."""
    match = re.search(r"(?m)^Verified: (\d+) .*; not verified: (\d+)", result.stdout)
    if not match:
        raise AssertionError(f"no Verified: line\n{result.describe()}")
    return int(match.group(1)), int(match.group(2))


class IntegrityCase(lib.GsyncTestCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.write_config(self.bucket)
        self.proxy = self.start_proxy()

    def run_via_proxy(self, *args):
        return self.run_gsync("sentinel2", *args, "--endpoint-url", self.proxy.endpoint)

    def assertTree(self, objects):
        self.assertEqual(lib.files_under(self.data_dir), {os.path.join(*k.split("/")): v for k, v in objects.items()})


class SingleStreamTest(IntegrityCase):
    def setUp(self):
        super().setUp()
        self.victim = key("sentinel2", "190_Bits/clipped/scene.tif")
        self.objects = {
            self.victim: lib.deterministic_bytes(190, 300_000),
            key("sentinel2", "190_Bits/clipped/other.tif"): lib.deterministic_bytes(191, 1000),
            key("sentinel2", "190_Bits/clipped/empty.txt"): b"",
        }
        self.put_objects(self.bucket, self.objects)

    def test_plain_objects_are_verified_by_md5(self):
        result = self.run_via_proxy()
        self.assertExit(result, 0)
        self.assertTree(self.objects)
        self.assertEqual(verification(result), (3, 0))
        gets = self.proxy.object_gets(self.victim)
        self.assertEqual(gets[0].headers.get("x-amz-checksum-mode"), "ENABLED", repr(gets[0]))

    def test_a_flipped_byte_is_retried_and_never_saved(self):
        fault = self.proxy.corrupt_key(self.victim, at_byte=123_456, times=1)
        result = self.run_via_proxy("--retries", "3", "--verbose")
        self.assertTrue(fault.fired_event.is_set(), "the proxy never corrupted the body")
        self.assertExit(result, 0)
        self.assertTree(self.objects)
        self.assertEqual(len(self.proxy.object_gets(self.victim)), 2, self.proxy.recorded())
        self.assertRegex(result.stderr, rf"Retrying download s3://.*{re.escape(self.victim)} after attempt 1: MD5 mismatch")

    def test_a_body_that_stays_corrupt_fails_the_file_and_leaves_nothing(self):
        self.proxy.corrupt_key(self.victim, at_byte=0, times=None)
        result = self.run_via_proxy("--retries", "2")
        self.assertExit(result, 1)
        self.assertRegex(result.stderr, rf"(?m)^Error: download failed: s3://{re.escape(self.bucket)}/"
                                        rf"{re.escape(self.victim)}: MD5 mismatch")
        expected = {k: v for k, v in self.objects.items() if k != self.victim}
        self.assertTree(expected)  # no temp file, nothing under the real name
        self.assertSummary(result, downloaded=2, failed=1)
        self.assertEqual(len(self.proxy.object_gets(self.victim)), 3)

    def test_an_s3_checksum_is_checked_in_preference_to_the_etag(self):
        # The gateway stores no additional checksums, so the proxy adds the header S3 would
        # send: first a wrong CRC32 (the download must be refused although the MD5 matches),
        # then the right one.
        data = self.objects[self.victim]
        right = base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()
        wrong = base64.b64encode(((zlib.crc32(data) ^ 1) & 0xFFFFFFFF).to_bytes(4, "big")).decode()
        is_victim = lambda r: r.method == "GET" and r.object_key() == self.victim  # noqa: E731
        self.proxy.add_fault(Fault(is_victim, times=1, add_headers={"x-amz-checksum-crc32": wrong}))
        self.proxy.add_fault(Fault(is_victim, add_headers={"x-amz-checksum-crc32": right}))
        result = self.run_via_proxy("--retries", "3", "--verbose")
        self.assertExit(result, 0)
        self.assertTree(self.objects)
        self.assertEqual(len(self.proxy.object_gets(self.victim)), 2, self.proxy.recorded())
        self.assertRegex(result.stderr, rf"after attempt 1: CRC32 mismatch: expected {re.escape(wrong)}, got {re.escape(right)}")


class RangedTest(IntegrityCase):
    def test_ranged_parts_of_a_plain_object_are_verified_as_one_md5(self):
        big = key("sentinel2", "191_Big/download/2025/plain.tif")
        data = lib.deterministic_bytes(192, 5 * MiB + 12345)
        self.put_objects(self.bucket, {big: data})
        # One part arrives with a flipped byte: every part's length is right, so only the
        # whole-object MD5 can tell, and the object is fetched again.
        fault = self.proxy.add_fault(
            Fault(lambda r: r.method == "GET" and r.object_key() == big and
                  r.headers.get("range", "").startswith(f"bytes={2 * MiB}-"), times=1, corrupt_at=777)
        )
        result = self.run_via_proxy("--multipart-threshold", "1MiB", "--part-size", "1MiB", "--retries", "3")
        self.assertTrue(fault.fired_event.is_set())
        self.assertExit(result, 0)
        self.assertTree({big: data})
        self.assertEqual(verification(result), (1, 0))
        # Six parts, then all six again after the mismatch.
        self.assertEqual(len(self.proxy.object_gets(big)), 12, self.proxy.recorded())

    def test_multipart_objects_are_counted_not_verified(self):
        big = key("sentinel2", "192_Mpu/download/2025/multipart.tif")
        data = lib.deterministic_bytes(193, 11 * MiB)
        self.s3.multipart_upload(self.bucket, big, data, part_size=5 * MiB)
        small = key("sentinel2", "192_Mpu/clipped/small.tif")
        self.put_objects(self.bucket, {small: b"small"})
        result = self.run_via_proxy("--multipart-threshold", "4MiB", "--part-size", "4MiB")
        self.assertExit(result, 0)
        self.assertTree({big: data, small: b"small"})
        self.assertEqual(verification(result), (1, 1))
        self.assertIn("multipart ETag: 1", result.stdout)


if __name__ == "__main__":
    lib.main()
