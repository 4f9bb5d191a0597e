"""Large objects: parallel ranged parts with If-Match, one temp file, atomic commit.

Objects strictly larger than --multipart-threshold are fetched as ranged GETs of
--part-size bytes, each carrying If-Match with the listed ETag, written into one temporary
file that is renamed into place only when every part is complete.
"""

import os
import re
import signal
import time

import gsync_testlib as lib
from gsync_testlib import key
from recording_proxy import Fault, error_document

MiB = 1024 * 1024
TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.[0-9a-f]{8}\.gsync-tmp$")
# Large objects download into a resumable partial file with a stable name.
PARTIAL_NAME = re.compile(r"^\.(?P<name>.+)\.gsync-part$")


def byte_range(request):
    """(first, last) of a request's `Range: bytes=a-b`, or None without a Range header."""
    value = request.headers.get("range")
    if value is None:
        return None
    match = re.fullmatch(r"bytes=(\d+)-(\d+)", value.strip())
    if not match:
        raise AssertionError(f"unexpected Range header {value!r} in {request!r}")
    return int(match.group(1)), int(match.group(2))


def expected_ranges(size, part_size):
    return [(start, min(start + part_size, size) - 1) for start in range(0, size, part_size)]


def for_range(object_key, first, last=None):
    """A proxy predicate: a GET of one key asking for the part that starts at `first`."""

    def predicate(request):
        if request.method != "GET" or request.object_key() != object_key:
            return False
        got = byte_range(request) if "range" in request.headers else None
        return got is not None and got[0] == first and (last is None or got[1] == last)

    return predicate


class LargeObjectCase(lib.GsyncTestCase):
    def via(self, proxy):
        return ("--endpoint-url", proxy.endpoint)

    def assertFileIs(self, object_key, data, listed=None):
        path = self.local_path(object_key)
        self.assertTrue(os.path.isfile(path), f"{path} was not written")
        self.assertEqual(os.path.getsize(path), len(data), f"size of {path}")
        with open(path, "rb") as f:
            # assertTrue, not assertEqual: a diff of megabytes of random bytes helps no one.
            self.assertTrue(f.read() == data, f"{path} differs from the object")
        if listed is not None:
            self.assertMtimeMatches(path, listed.last_modified)

    def temp_files(self, folder):
        if not os.path.isdir(folder):
            return []
        return sorted(n for n in os.listdir(folder) if TEMP_NAME.match(n) or PARTIAL_NAME.match(n))

    def assertNoFileAndNoTemp(self, object_key):
        path = self.local_path(object_key)
        self.assertFalse(os.path.exists(path), f"a failed ranged download left {path}")
        folder = os.path.dirname(path)
        leftovers = [n for n in os.listdir(folder) if n != os.path.basename(path)] if os.path.isdir(folder) else []
        self.assertEqual(leftovers, [], "a failed ranged download left files behind in its folder")

    def ranged_gets(self, proxy, object_key):
        return [r for r in proxy.object_gets(object_key) if "range" in r.headers]


class RangedPartsTest(LargeObjectCase):
    """What goes over the wire for large, threshold-sized and small objects."""

    def test_large_object_is_fetched_as_parallel_ranged_parts_with_if_match(self):
        bucket = self.new_bucket()
        big = key("sentinel2", "170_Big/download/2025/T22VFP_20250804_B08.tif")
        at_threshold = key("sentinel2", "170_Big/clipped/exactly_threshold.tif")
        # A key that needs encoding: the ranged GETs are signed like any other.
        just_above = key("sentinel2", "170_Big/clipped/threshold plus+one ü=%.tif")
        small = key("landsat", "170_Big/small.tif")
        objects = {
            big: lib.deterministic_bytes(40, 40 * MiB),
            at_threshold: lib.deterministic_bytes(8, 8 * MiB),
            just_above: lib.deterministic_bytes(9, 8 * MiB + 1),
            small: b"a small object",
        }
        listed = self.put_objects(bucket, objects)
        self.write_config(bucket)
        proxy = self.start_proxy()
        result = self.run_gsync(
            "all", "--multipart-threshold", "8MiB", "--part-size", "5MiB", *self.via(proxy)
        )
        self.assertExit(result, 0)
        self.assertSummary(result, downloaded=4, failed=0)
        self.assertEqual(
            lib.files_under(self.data_dir).keys(),
            {os.path.join(*k.split("/")) for k in objects},
            "unexpected files (a temp file left behind?)",
        )
        for object_key, data in objects.items():
            self.assertFileIs(object_key, data, listed[object_key])

        for object_key, part_count in ((big, 8), (just_above, 2)):
            with self.subTest(object_key=object_key):
                gets = proxy.object_gets(object_key)
                self.assertEqual(len(gets), part_count, [repr(r) for r in gets])
                ranges = [byte_range(r) for r in gets]
                self.assertNotIn(None, ranges, "a GET of a large object without Range")
                # Non-overlapping parts of --part-size that cover the object exactly.
                self.assertEqual(sorted(ranges), expected_ranges(len(objects[object_key]), 5 * MiB))
                for request in gets:
                    self.assertEqual(request.status, 206, repr(request))
                    self.assertIn("if-match", request.headers, f"part without If-Match: {request!r}")
                    # The listed ETag as an HTTP entity-tag (quoted), so any rewrite is refused.
                    self.assertEqual(request.headers["if-match"], f'"{listed[object_key].etag}"')

        # At the threshold (not above it) and below it: one plain GET each.
        for object_key in (at_threshold, small):
            with self.subTest(object_key=object_key):
                gets = proxy.object_gets(object_key)
                self.assertEqual(len(gets), 1, [repr(r) for r in gets])
                self.assertNotIn("range", gets[0].headers)
                self.assertEqual(gets[0].status, 200)

    def test_parts_run_in_parallel(self):
        # The first attempt of every part stalls mid-body for STALL seconds. Fetched in
        # parallel, all 8 parts are requested before the first stall ends; fetched one after
        # another, each request would wait for the previous stall.
        stall = 2.0
        bucket = self.new_bucket()
        big = key("sentinel2", "171_Par/download/2025/big.tif")
        data = lib.deterministic_bytes(3, 8 * MiB)
        listed = self.put_objects(bucket, {big: data})
        self.write_config(bucket)
        proxy = self.start_proxy()
        arrivals = []

        def first_attempts(request):
            if request.method == "GET" and request.object_key() == big and "range" in request.headers:
                arrivals.append(time.monotonic())
                return True
            return False

        proxy.add_fault(Fault(first_attempts, times=8, stall_after=1, stall_seconds=stall))
        result = self.run_gsync("sentinel2", "--multipart-threshold", "1MiB", "--part-size", "1MiB",
                                "--jobs", "16", "--streams-per-file", "8", "--retries", "3", *self.via(proxy))
        self.assertExit(result, 0)
        self.assertFileIs(big, data, listed[big])
        first_eight = arrivals[:8]
        self.assertEqual(len(first_eight), 8, arrivals)
        spread = max(first_eight) - min(first_eight)
        self.assertLess(spread, stall, f"the 8 parts were not requested concurrently (spread {spread:.1f} s)")
        # Each stalled part is retried once: 8 + 8 ranged GETs, and nothing else.
        self.assertEqual(len(self.ranged_gets(proxy, big)), 16, [repr(r) for r in proxy.object_gets(big)])
        self.assertEqual(len(proxy.object_gets(big)), 16)

    def test_streams_per_file_caps_the_parts_in_flight(self):
        # Every part stalls briefly: with 2 streams, the third part is requested only after
        # one of the first two has finished.
        bucket = self.new_bucket()
        big = key("sentinel2", "171_Cap/download/2025/big.tif")
        data = lib.deterministic_bytes(4, 6 * MiB)
        self.put_objects(bucket, {big: data})
        self.write_config(bucket)
        proxy = self.start_proxy()
        proxy.add_fault(Fault(lambda r: r.method == "GET" and r.object_key() == big, stall_after=1,
                              stall_seconds=0.5, times=6))
        result = self.run_gsync("sentinel2", "--multipart-threshold", "1MiB", "--part-size", "1MiB",
                                "--streams-per-file", "2", "--retries", "3", *self.via(proxy))
        self.assertExit(result, 0)
        self.assertFileIs(big, data)
        first = [r for r in proxy.object_gets(big)]
        # The first attempts of parts 1 and 2 arrive together; part 3 only after a stall ended.
        self.assertGreaterEqual(first[2].time - first[0].time, 0.4, [(byte_range(r), r.time) for r in first])

    def test_defaults_are_16_mib(self):
        bucket = self.new_bucket()
        above = key("sentinel2", "172_Def/download/2025/above.tif")
        at = key("sentinel2", "172_Def/download/2025/at.tif")
        objects = {above: lib.deterministic_bytes(16, 16 * MiB + 1), at: lib.deterministic_bytes(17, 16 * MiB)}
        listed = self.put_objects(bucket, objects)
        self.write_config(bucket)
        proxy = self.start_proxy()
        result = self.run_gsync("sentinel2", *self.via(proxy))
        self.assertExit(result, 0)
        for object_key, data in objects.items():
            self.assertFileIs(object_key, data, listed[object_key])
        self.assertEqual(
            sorted(byte_range(r) for r in proxy.object_gets(above)), [(0, 16 * MiB - 1), (16 * MiB, 16 * MiB)]
        )
        self.assertEqual([byte_range(r) for r in proxy.object_gets(at)], [None])

    def test_sizes_from_config_ini(self):
        bucket = self.new_bucket()
        big = key("sentinel2", "173_Cfg/download/2025/big.tif")
        one_part = key("sentinel2", "173_Cfg/download/2025/one_part.tif")
        objects = {big: lib.deterministic_bytes(5, 5 * MiB + 3), one_part: lib.deterministic_bytes(6, 3 * MiB)}
        listed = self.put_objects(bucket, objects)
        self.write_config(bucket, extra="\n[SYNC]\nmultipart_threshold = 2MiB\npart_size = 2MiB\n")
        proxy = self.start_proxy()
        self.assertExit(self.run_gsync("sentinel2", *self.via(proxy)), 0)
        for object_key, data in objects.items():
            self.assertFileIs(object_key, data, listed[object_key])
        self.assertEqual(
            sorted(byte_range(r) for r in proxy.object_gets(big)), expected_ranges(5 * MiB + 3, 2 * MiB)
        )
        # The command line wins over config.ini: one part larger than the object is one
        # ranged GET of the whole object.
        os.remove(self.local_path(big))
        os.remove(self.local_path(one_part))
        proxy.clear()
        self.assertExit(self.run_gsync("sentinel2", "--part-size", "64MiB", *self.via(proxy)), 0)
        for object_key, data in objects.items():
            self.assertFileIs(object_key, data, listed[object_key])
            self.assertEqual([byte_range(r) for r in proxy.object_gets(object_key)], [(0, len(data) - 1)])

    def test_multipart_uploaded_object(self):
        bucket = self.new_bucket()
        big = key("sentinel2", "174_Mpu/download/2025/multipart.tif")
        data = lib.deterministic_bytes(12, 11 * MiB + 12345)
        self.s3.multipart_upload(bucket, big, data, part_size=5 * MiB)
        listed = {o.key: o for o in self.s3.list_objects(bucket)}
        self.assertRegex(listed[big].etag, r"-3$", "the gateway did not store a multipart object")
        self.write_config(bucket)
        proxy = self.start_proxy()
        result = self.run_gsync("sentinel2", "--multipart-threshold", "1MiB", "--part-size", "4MiB",
                                *self.via(proxy))
        self.assertExit(result, 0)
        self.assertFileIs(big, data, listed[big])
        gets = proxy.object_gets(big)
        self.assertEqual(sorted(byte_range(r) for r in gets), expected_ranges(len(data), 4 * MiB))
        self.assertTrue(all(r.status == 206 for r in gets), [repr(r) for r in gets])
        self.assertTrue(all(r.headers.get("if-match") == f'"{listed[big].etag}"' for r in gets),
                        [r.headers.get("if-match") for r in gets])

    def test_many_parts_with_one_job(self):
        # More parts than transfer slots (and than the listing's queue might hold) must not stall.
        bucket = self.new_bucket()
        objects = {
            key("sentinel2", f"176_One/download/2025/big_{i}.tif"): lib.deterministic_bytes(176 + i, 5 * MiB + i)
            for i in range(3)
        }
        objects.update({key("sentinel2", f"176_One/clipped/small_{i}.tif"): b"s" * i for i in range(20)})
        listed = self.put_objects(bucket, objects)
        self.write_config(bucket)
        result = self.run_gsync("sentinel2", "--jobs", "1", "--multipart-threshold", "1MiB", "--part-size", "1MiB",
                                timeout=60)
        self.assertExit(result, 0)
        self.assertSummary(result, downloaded=len(objects), failed=0)
        self.assertEqual(
            lib.files_under(self.data_dir), {os.path.join(*k.split("/")): v for k, v in objects.items()}
        )
        for object_key, data in objects.items():
            self.assertMtimeMatches(self.local_path(object_key), listed[object_key].last_modified)

    def test_dry_run_fetches_nothing(self):
        bucket = self.new_bucket()
        big = key("sentinel2", "175_Dry/download/2025/big.tif")
        self.put_objects(bucket, {big: lib.deterministic_bytes(1, 3 * MiB)})
        self.write_config(bucket)
        proxy = self.start_proxy()
        result = self.run_gsync("sentinel2", "--dry-run", "--multipart-threshold", "1MiB", "--part-size", "1MiB",
                                *self.via(proxy))
        self.assertExit(result, 0)
        self.assertInOutput(f"(dryrun) download: s3://{bucket}/{big} to {big}", result)
        self.assertEqual(proxy.object_gets(), [])
        self.assertEqual(lib.entries_under(self.data_dir), [])


class PartFailureTest(LargeObjectCase):
    """A part that fails: retried when transient, and never a partial file under the real name."""

    SIZE = 6 * MiB + 100

    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.big = key("sentinel2", "180_Fail/download/2025/T22VFP_B08.tif")
        self.other_big = key("sentinel2", "181_Other/download/2025/T22VFP_B04.tif")
        self.small = key("landsat", "180_Fail/small.tif")
        self.objects = {
            self.big: lib.deterministic_bytes(180, self.SIZE),
            self.other_big: lib.deterministic_bytes(181, 3 * MiB),
            self.small: b"small and fine",
        }
        self.listed = self.put_objects(self.bucket, self.objects)
        self.write_config(self.bucket)
        self.proxy = self.start_proxy()

    def run_parts(self, *args, retries="3"):
        return self.run_gsync("all", "--multipart-threshold", "1MiB", "--part-size", "1MiB", "--retries", retries,
                              *args, *self.via(self.proxy))

    def requests_for_part(self, first):
        return [r for r in self.proxy.object_gets(self.big) if byte_range(r) and byte_range(r)[0] == first]

    def assertOthersDownloaded(self, result):
        for object_key in (self.other_big, self.small):
            self.assertFileIs(object_key, self.objects[object_key], self.listed[object_key])
        self.assertSummary(result, downloaded=2, failed=1)
        self.assertIn("Sync Complete!", result.stdout)

    def assertBigFailed(self, result):
        self.assertExit(result, 1)
        self.assertIn(f"Error: download failed: s3://{self.bucket}/{self.big}: ", result.stderr)
        self.assertNoFileAndNoTemp(self.big)
        self.assertOthersDownloaded(result)

    def test_part_failing_twice_with_500_is_retried(self):
        self.proxy.add_fault(
            Fault(for_range(self.big, 2 * MiB), times=2, status=500,
                  body=error_document("InternalError", "injected"))
        )
        result = self.run_parts()
        self.assertExit(result, 0)
        for object_key, data in self.objects.items():
            self.assertFileIs(object_key, data, self.listed[object_key])
        self.assertEqual([r.status for r in self.requests_for_part(2 * MiB)], [500, 500, 206])
        # Only the failing part is fetched again, not the whole object.
        gets = self.proxy.object_gets(self.big)
        self.assertEqual(len(gets), 7 + 2, [repr(r) for r in gets])

    def test_part_cut_short_is_retried(self):
        self.proxy.add_fault(Fault(for_range(self.big, 3 * MiB), times=1, truncate_after=1000))
        result = self.run_parts()
        self.assertExit(result, 0)
        for object_key, data in self.objects.items():
            self.assertFileIs(object_key, data, self.listed[object_key])
        self.assertEqual(len(self.requests_for_part(3 * MiB)), 2, [repr(r) for r in self.proxy.object_gets()])

    def test_last_part_cut_short_is_retried(self):
        # The last, short part (100 bytes) cut after 10: the file's end must still be right.
        self.proxy.add_fault(Fault(for_range(self.big, 6 * MiB, 6 * MiB + 99), times=1, truncate_after=10))
        result = self.run_parts()
        self.assertExit(result, 0)
        self.assertFileIs(self.big, self.objects[self.big], self.listed[self.big])
        self.assertEqual(len(self.requests_for_part(6 * MiB)), 2)

    def test_part_answered_with_fewer_bytes_than_asked_is_retried(self):
        # A well-formed 206 whose body (and Content-Length) covers only the start of the part:
        # accepting it would leave a hole of zeros in the middle of the file.
        first = 2 * MiB
        short = self.objects[self.big][first : first + 1000]
        self.proxy.add_fault(
            Fault(for_range(self.big, first), times=1, status=206, body=short,
                  headers={"Content-Type": "binary/octet-stream",
                           "Content-Range": f"bytes {first}-{first + 999}/{self.SIZE}",
                           "ETag": f'"{self.listed[self.big].etag}"'})
        )
        result = self.run_parts()
        self.assertExit(result, 0)
        self.assertFileIs(self.big, self.objects[self.big], self.listed[self.big])
        self.assertEqual([r.status for r in self.requests_for_part(first)], [206, 206])

    def test_part_denied_fails_the_file_and_leaves_nothing(self):
        self.proxy.add_fault(
            Fault(for_range(self.big, 4 * MiB), status=403, body=error_document("AccessDenied", "Access Denied"))
        )
        result = self.run_parts()
        self.assertBigFailed(result)
        # A 403 is not worth retrying.
        self.assertEqual(len(self.requests_for_part(4 * MiB)), 1)

    def test_part_always_500_fails_after_the_retries(self):
        self.proxy.add_fault(
            Fault(for_range(self.big, 0), status=500, body=error_document("InternalError", "injected"))
        )
        result = self.run_parts(retries="1")
        self.assertBigFailed(result)
        self.assertEqual(len(self.requests_for_part(0)), 2, [repr(r) for r in self.proxy.object_gets(self.big)])

    def test_a_failed_part_stops_the_parts_not_yet_started(self):
        # With one transfer at a time the parts run in order: once the first is refused, the
        # object has failed and fetching its other 6 parts would only waste bandwidth.
        self.proxy.add_fault(
            Fault(for_range(self.big, 0), status=403, body=error_document("AccessDenied", "Access Denied"))
        )
        result = self.run_parts("--jobs", "1")
        self.assertBigFailed(result)
        self.assertEqual([byte_range(r) for r in self.proxy.object_gets(self.big)], [(0, MiB - 1)])

    def test_object_deleted_after_listing(self):
        self.proxy.add_fault(
            Fault(for_range(self.big, 2 * MiB), status=404, body=error_document("NoSuchKey", "no such key"))
        )
        result = self.run_parts()
        self.assertBigFailed(result)
        self.assertIn("deleted", result.stderr)

    def test_part_always_cut_short_fails_the_file(self):
        self.proxy.add_fault(Fault(for_range(self.big, 5 * MiB), truncate_after=4096))
        result = self.run_parts(retries="1")
        self.assertBigFailed(result)

    def test_precondition_failed_means_the_object_changed(self):
        self.proxy.add_fault(
            Fault(for_range(self.big, 1 * MiB), status=412,
                  body=error_document("PreconditionFailed",
                                      "At least one of the pre-conditions you specified did not hold",
                                      Condition="If-Match"))
        )
        result = self.run_parts()
        self.assertBigFailed(result)
        self.assertRegex(result.stderr, rf"(?m)^Error: download failed: s3://{re.escape(self.bucket)}/"
                                        rf"{re.escape(self.big)}: .*changed", result.describe())
        # The object changed: retrying the same If-Match cannot succeed.
        self.assertEqual(len(self.requests_for_part(1 * MiB)), 1)

    def test_server_ignoring_range_fails_cleanly(self):
        # A server (or a proxy on the way) that answers every ranged GET with the whole object.
        self.proxy.add_fault(
            Fault(lambda r: r.method == "GET" and r.object_key() == self.big and "range" in r.headers,
                  status=200, body=self.objects[self.big], headers={"Content-Type": "binary/octet-stream"})
        )
        result = self.run_parts()
        self.assertBigFailed(result)

    def test_server_ignoring_range_on_a_single_part_object_fails_cleanly(self):
        # One part covering the whole object: a 200 with exactly the right bytes. Still not what
        # was asked for; the implementation refuses it rather than guessing.
        self.proxy.add_fault(
            Fault(lambda r: r.method == "GET" and r.object_key() == self.big and "range" in r.headers,
                  status=200, body=self.objects[self.big], headers={"Content-Type": "binary/octet-stream"})
        )
        result = self.run_gsync("all", "--multipart-threshold", "1MiB", "--part-size", "64MiB", "--retries", "1",
                                *self.via(self.proxy))
        self.assertExit(result, 1)
        self.assertIn(f"Error: download failed: s3://{self.bucket}/{self.big}: ", result.stderr)
        self.assertNoFileAndNoTemp(self.big)


class ObjectRewrittenTest(LargeObjectCase):
    def test_object_overwritten_during_the_download_fails_without_a_mixed_file(self):
        bucket = self.new_bucket()
        big = key("sentinel2", "182_Race/download/2025/T22VFP_B08.tif")
        old = lib.deterministic_bytes(1, 6 * MiB)
        new = lib.deterministic_bytes(2, 6 * MiB)  # same size: only the ETag tells them apart
        self.put_objects(bucket, {big: old})
        self.write_config(bucket)
        proxy = self.start_proxy()
        # The part at 3 MiB stalls once, mid-body; while it hangs the object is rewritten in
        # S3, then the connection drops and the part is retried against the new object.
        stall = proxy.add_fault(Fault(for_range(big, 3 * MiB), times=1, stall_after=64 * 1024, stall_seconds=3))
        process = self.start_gsync("sentinel2", "--multipart-threshold", "1MiB", "--part-size", "1MiB",
                                   "--retries", "3", "--endpoint-url", proxy.endpoint)
        if not stall.fired_event.wait(30):
            process.kill()
            self.fail("the download never reached the stall")
        self.s3.put_object(bucket, big, new)
        out, err = process.communicate(timeout=60)
        result = lib.RunResult(process.returncode, out.decode(errors="replace"), err.decode(errors="replace"),
                               ["glacier-sync"])
        self.assertExit(result, 1)
        self.assertNoFileAndNoTemp(big)
        self.assertRegex(
            result.stderr,
            rf"(?m)^Error: download failed: s3://{re.escape(bucket)}/{re.escape(big)}: .*changed",
            result.describe(),
        )
        # The real gateway refused the stale If-Match.
        self.assertIn(412, [r.status for r in proxy.object_gets(big)], [repr(r) for r in proxy.object_gets(big)])
        # The next run fetches the new object.
        listed = {o.key: o for o in self.s3.list_objects(bucket)}
        result = self.run_gsync("sentinel2", "--multipart-threshold", "1MiB", "--part-size", "1MiB")
        self.assertExit(result, 0)
        self.assertFileIs(big, new, listed[big])


class InterruptTest(LargeObjectCase):
    def test_sigkill_during_ranged_download_leaves_no_file_under_the_real_name(self):
        bucket = self.new_bucket()
        big = key("sentinel2", "183_Kill/download/2025/T22VFP_B08.tif")
        data = lib.deterministic_bytes(183, 12 * MiB)
        listed = self.put_objects(bucket, {big: data})
        self.write_config(bucket)
        proxy = self.start_proxy()
        final = self.local_path(big)
        folder = os.path.dirname(final)
        stall = proxy.add_fault(Fault(for_range(big, 8 * MiB), stall_after=MiB, stall_seconds=120))
        process = self.start_gsync("sentinel2", "--multipart-threshold", "4MiB", "--part-size", "4MiB",
                                   "--endpoint-url", proxy.endpoint)
        if not stall.fired_event.wait(30):
            process.kill()
            self.fail("the download never reached the stall")
        # The other parts complete; wait until they are in the temp file.
        deadline = time.monotonic() + 10
        temps = []
        while time.monotonic() < deadline:
            temps = self.temp_files(folder)
            if temps and os.path.getsize(os.path.join(folder, temps[0])) >= 8 * MiB:
                break
            time.sleep(0.1)
        # All parts share one temp file named after the destination.
        self.assertEqual(len(temps), 1, f"expected one temp file for all parts, found {temps}")
        self.assertEqual(PARTIAL_NAME.match(temps[0]).group("name"), os.path.basename(final))
        self.assertGreaterEqual(os.path.getsize(os.path.join(folder, temps[0])), 8 * MiB,
                                "the completed parts were not written into the temp file")
        self.assertFalse(os.path.exists(final), "a partial ranged download is visible under the real name")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        self.assertEqual(process.returncode, -signal.SIGKILL)
        self.assertFalse(os.path.exists(final), "a killed ranged download left a file under the real name")
        result = self.run_gsync("sentinel2", "--multipart-threshold", "4MiB", "--part-size", "4MiB")
        self.assertExit(result, 0)
        self.assertFileIs(big, data, listed[big])


    def test_sigterm_during_ranged_download_keeps_only_a_resumable_partial_file(self):
        bucket = self.new_bucket()
        big = key("sentinel2", "183_Term/download/2025/T22VFP_B08.tif")
        data = lib.deterministic_bytes(184, 6 * MiB)
        listed = self.put_objects(bucket, {big: data})
        self.write_config(bucket)
        proxy = self.start_proxy()
        folder = os.path.dirname(self.local_path(big))
        stall = proxy.add_fault(Fault(for_range(big, 4 * MiB), stall_after=MiB // 2, stall_seconds=120))
        process = self.start_gsync("sentinel2", "--multipart-threshold", "2MiB", "--part-size", "2MiB",
                                   "--endpoint-url", proxy.endpoint)
        if not stall.fired_event.wait(30):
            process.kill()
            self.fail("the download never reached the stall")
        deadline = time.monotonic() + 10
        while not self.temp_files(folder) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertTrue(self.temp_files(folder), "no temp file while the parts were downloading")
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        self.assertEqual(process.returncode, 143)
        # Nothing under the real name; only the partial file the next run resumes.
        self.assertFalse(os.path.exists(self.local_path(big)))
        self.assertEqual([n for n in os.listdir(folder)], [f".{os.path.basename(big)}.gsync-part"])
        result = self.run_gsync("sentinel2", "--multipart-threshold", "2MiB", "--part-size", "2MiB")
        self.assertExit(result, 0)
        self.assertFileIs(big, data, listed[big])
        self.assertEqual(os.listdir(folder), [os.path.basename(big)])


class SharedFolderTest(LargeObjectCase):
    def test_concurrent_runs_fetching_the_same_large_object(self):
        # Two researchers sync the same shared folder at once: each run assembles its own temp
        # file; one wins the rename, the other sees the file and counts it skipped.
        bucket = self.new_bucket()
        big = key("sentinel2", "185_Shared/download/2025/T22VFP_B08.tif")
        data = lib.deterministic_bytes(185, 8 * MiB)
        listed = self.put_objects(bucket, {big: data})
        self.write_config(bucket)
        proxy = self.start_proxy()
        # Hold back each run's first part a little so that both are mid-download together.
        proxy.add_fault(Fault(for_range(big, 0), times=2, stall_after=1, stall_seconds=1.0))
        processes = [
            self.start_gsync("sentinel2", "--multipart-threshold", "1MiB", "--part-size", "1MiB", "--retries", "3",
                             "--endpoint-url", proxy.endpoint)
            for _ in range(2)
        ]
        results = []
        for process in processes:
            out, err = process.communicate(timeout=60)
            results.append(lib.RunResult(process.returncode, out.decode(errors="replace"),
                                         err.decode(errors="replace"), ["glacier-sync"]))
        for result in results:
            self.assertExit(result, 0)
        self.assertFileIs(big, data, listed[big])
        self.assertEqual(os.listdir(os.path.dirname(self.local_path(big))), [os.path.basename(big)])
        self.assertEqual(sorted((r.summary()["downloaded"], r.summary()["skipped"]) for r in results),
                         [(0, 1), (1, 0)], [r.stdout for r in results])


class ExistingFileTest(LargeObjectCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.big = key("sentinel2", "184_Exist/download/2025/T22VFP_B08.tif")
        self.data = lib.deterministic_bytes(184, 5 * MiB + 7)
        self.listed = self.put_objects(self.bucket, {self.big: self.data})
        self.write_config(self.bucket)
        self.proxy = self.start_proxy()
        self.local = b"an older local copy of a different size" * 1000
        os.makedirs(os.path.dirname(self.local_path(self.big)))
        with open(self.local_path(self.big), "wb") as f:
            f.write(self.local)

    def run_parts(self, *args):
        return self.run_gsync("sentinel2", "--multipart-threshold", "1MiB", "--part-size", "2MiB", *args,
                              *self.via(self.proxy))

    def test_force_overwrite_replaces_via_parts(self):
        result = self.run_parts("--force-overwrite")
        self.assertExit(result, 0)
        self.assertSummary(result, downloaded=1, kept=0, failed=0)
        self.assertInOutput("Replaced (--force-overwrite): 1", result)
        self.assertFileIs(self.big, self.data, self.listed[self.big])
        self.assertEqual(sorted(byte_range(r) for r in self.proxy.object_gets(self.big)),
                         expected_ranges(len(self.data), 2 * MiB))
        self.assertEqual(os.listdir(os.path.dirname(self.local_path(self.big))), [os.path.basename(self.big)])
        # A second forced run finds it current and fetches nothing.
        self.proxy.clear()
        result = self.run_parts("--force-overwrite")
        self.assertExit(result, 0)
        self.assertSummary(result, downloaded=0, skipped=1)
        self.assertEqual(self.proxy.object_gets(), [])

    def test_force_overwrite_with_a_failing_part_keeps_the_old_file(self):
        self.proxy.add_fault(
            Fault(for_range(self.big, 2 * MiB), status=403, body=error_document("AccessDenied", "Access Denied"))
        )
        result = self.run_parts("--force-overwrite", "--retries", "1")
        self.assertExit(result, 1)
        with open(self.local_path(self.big), "rb") as f:
            self.assertTrue(f.read() == self.local, "a failed forced download damaged the old file")
        self.assertEqual(os.listdir(os.path.dirname(self.local_path(self.big))), [os.path.basename(self.big)])

    def test_safe_mode_keeps_a_different_size_large_file(self):
        result = self.run_parts()
        self.assertExit(result, 0)
        self.assertSummary(result, downloaded=0, kept=1, failed=0)
        with open(self.local_path(self.big), "rb") as f:
            self.assertTrue(f.read() == self.local, "safe mode overwrote a large file")
        self.assertEqual(self.proxy.object_gets(), [])


class BadSizeTest(LargeObjectCase):
    def setUp(self):
        super().setUp()
        self.write_config("gsync-bad-size-never-created")

    def assertUsageError(self, result, *needles):
        self.assertExit(result, 2)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, f"expected a one-line error\n{result.describe()}")
        self.assertTrue(lines[0].startswith("Error: "), result.describe())
        for needle in needles:
            self.assertIn(needle, lines[0], result.describe())
        self.assertEqual(lib.entries_under(self.data_dir), [])

    def test_bad_part_size_flag(self):
        for value in ("10", "abc", "0", "5 parsecs", "1023KiB"):
            with self.subTest(value=value):
                self.assertUsageError(self.run_gsync("sentinel2", "--part-size", value), "--part-size", value)

    def test_bad_threshold_flag(self):
        for value in ("lots", "-1", "8 MiBs"):
            with self.subTest(value=value):
                self.assertUsageError(self.run_gsync("sentinel2", "--multipart-threshold", value),
                                      "--multipart-threshold", value)

    def test_bad_part_size_in_config_names_file_and_key(self):
        self.write_config("gsync-bad-size-never-created", extra="\n[SYNC]\npart_size = 5 parsecs\n")
        self.assertUsageError(self.run_gsync("sentinel2"), self.config_path, "part_size")

    def test_bad_threshold_in_config_names_file_and_key(self):
        self.write_config("gsync-bad-size-never-created", extra="\n[SYNC]\nmultipart_threshold = huge\n")
        self.assertUsageError(self.run_gsync("sentinel2"), self.config_path, "multipart_threshold")


if __name__ == "__main__":
    lib.main()
