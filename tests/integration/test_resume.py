"""Resume: an interrupted large download continues where it stopped, and leftovers go.

Large objects download into ".NAME.gsync-part", which records the object's ETag and size
and each completed part after the object's bytes. The next run finds it while reading the
folder, fetches only the missing parts (Range + If-Match), and starts over when the object
changed. Temp and partial files of killed runs that nothing resumes are removed at the
end of the run, unless a live glacier-sync holds their lock.
"""

import fcntl
import os
import re
import signal
import time

import gsync_testlib as lib
from gsync_testlib import key
from recording_proxy import Fault

MiB = 1024 * 1024
PART_ARGS = ("--multipart-threshold", "4MiB", "--part-size", "4MiB")


def ranges(proxy, object_key):
    found = []
    for request in proxy.object_gets(object_key):
        match = re.fullmatch(r"bytes=(\d+)-(\d+)", request.headers.get("range", ""))
        found.append((int(match.group(1)), int(match.group(2))) if match else None)
    return sorted(found, key=lambda r: (r is None, r))


def for_range(object_key, first):
    return lambda r: (r.method == "GET" and r.object_key() == object_key
                      and r.headers.get("range", "").startswith(f"bytes={first}-"))


def resumed_line(result):
    match = re.search(r"(?m)^Resumed: (\d+) interrupted download", result.stdout)
    return int(match.group(1)) if match else 0


class ResumeTest(lib.GsyncTestCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.big = key("sentinel2", "200_Resume/download/2025/T22VFP_B08.tif")
        self.data = lib.deterministic_bytes(200, 12 * MiB + 4321)
        self.write_config(self.bucket)
        self.folder = os.path.dirname(self.local_path(self.big))
        self.partial = os.path.join(self.folder, f".{os.path.basename(self.big)}.gsync-part")

    def kill_after_two_parts(self, how=signal.SIGKILL):
        """Runs until parts 1 and 2 are complete while part 3 hangs, then kills the run."""
        proxy = self.start_proxy()
        stall = proxy.add_fault(Fault(for_range(self.big, 8 * MiB), stall_after=MiB, stall_seconds=120))
        proxy.add_fault(Fault(for_range(self.big, 12 * MiB), stall_after=0, stall_seconds=120))
        process = self.start_gsync("sentinel2", *PART_ARGS, "--endpoint-url", proxy.endpoint)
        if not stall.fired_event.wait(30):
            process.kill()
            self.fail("the download never reached the stall")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if os.path.exists(self.partial) and open(self.partial, "rb").read().count(b"\ndone ") >= 2:
                break
            time.sleep(0.1)
        process.send_signal(how)
        process.wait(timeout=30)
        proxy.stop()
        self.assertFalse(os.path.exists(self.local_path(self.big)), "a partial download under the real name")
        self.assertTrue(os.path.exists(self.partial), "no partial file was kept")
        return process.returncode

    def test_a_killed_download_resumes_with_only_the_missing_parts(self):
        listed = self.put_objects(self.bucket, {self.big: self.data})
        self.assertEqual(self.kill_after_two_parts(), -signal.SIGKILL)
        proxy = self.start_proxy()
        result = self.run_gsync("sentinel2", *PART_ARGS, "--endpoint-url", proxy.endpoint)
        self.assertExit(result, 0)
        with open(self.local_path(self.big), "rb") as f:
            self.assertTrue(f.read() == self.data, "the resumed file differs from the object")
        self.assertMtimeMatches(self.local_path(self.big), listed[self.big].last_modified)
        self.assertEqual(os.listdir(self.folder), [os.path.basename(self.big)])
        # Parts [0, 4) and [4, 8) MiB came from the first run.
        self.assertEqual(ranges(proxy, self.big), [(8 * MiB, 12 * MiB - 1), (12 * MiB, len(self.data) - 1)])
        for request in proxy.object_gets(self.big):
            self.assertEqual(request.headers.get("if-match"), f'"{listed[self.big].etag}"')
        self.assertEqual(resumed_line(result), 1)
        self.assertSummary(result, downloaded=1, failed=0)

    def test_sigterm_then_rerun_resumes_too(self):
        self.put_objects(self.bucket, {self.big: self.data})
        self.assertEqual(self.kill_after_two_parts(signal.SIGTERM), 143)
        proxy = self.start_proxy()
        result = self.run_gsync("sentinel2", *PART_ARGS, "--endpoint-url", proxy.endpoint)
        self.assertExit(result, 0)
        self.assertEqual(len(ranges(proxy, self.big)), 2)
        with open(self.local_path(self.big), "rb") as f:
            self.assertTrue(f.read() == self.data)

    def test_a_changed_object_is_downloaded_from_scratch(self):
        self.put_objects(self.bucket, {self.big: self.data})
        self.kill_after_two_parts()
        new = lib.deterministic_bytes(201, len(self.data))  # same size, new ETag
        listed = self.put_objects(self.bucket, {self.big: new})
        proxy = self.start_proxy()
        result = self.run_gsync("sentinel2", *PART_ARGS, "--endpoint-url", proxy.endpoint)
        self.assertExit(result, 0)
        with open(self.local_path(self.big), "rb") as f:
            self.assertTrue(f.read() == new, "old parts were kept for a rewritten object")
        self.assertEqual(len(ranges(proxy, self.big)), 4)
        self.assertEqual(resumed_line(result), 0)
        self.assertEqual(os.listdir(self.folder), [os.path.basename(self.big)])
        self.assertMtimeMatches(self.local_path(self.big), listed[self.big].last_modified)

    def test_a_partial_file_whose_object_is_gone_is_removed(self):
        self.put_objects(self.bucket, {self.big: self.data})
        self.kill_after_two_parts()
        self.s3.delete_object(self.bucket, self.big)
        other = key("sentinel2", "200_Resume/download/2025/other.tif")
        self.put_objects(self.bucket, {other: b"keeps the folder listed"})
        result = self.run_gsync("sentinel2", *PART_ARGS)
        self.assertExit(result, 0)
        self.assertEqual(os.listdir(self.folder), ["other.tif"])
        self.assertIn("Removed 1 leftover temporary file of interrupted runs", result.stdout)


class LeftoverTest(lib.GsyncTestCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.objects = {
            key("sentinel2", "201_Left/clipped/a.tif"): b"a",
            key("sentinel2", "201_Left/clipped/b.tif"): b"b",
        }
        self.put_objects(self.bucket, self.objects)
        self.write_config(self.bucket)
        self.folder = os.path.dirname(self.local_path(next(iter(self.objects))))
        os.makedirs(self.folder)

    def plant(self, name, content=b"half a file"):
        path = os.path.join(self.folder, name)
        with open(path, "wb") as f:
            f.write(content)
        return path

    def test_leftovers_of_a_killed_run_are_removed(self):
        self.plant(".a.tif.0123abcd.gsync-tmp")
        self.plant(".gone.tif.gsync-part")
        result = self.run_gsync("sentinel2")
        self.assertExit(result, 0)
        self.assertEqual(sorted(os.listdir(self.folder)), ["a.tif", "b.tif"])
        self.assertIn("Removed 2 leftover temporary files of interrupted runs", result.stdout)

    def test_a_temp_file_held_by_a_live_run_is_left_alone(self):
        path = self.plant(".c.tif.89abcdef.gsync-tmp")
        with open(path, "rb") as held:
            fcntl.flock(held, fcntl.LOCK_EX)  # as a running glacier-sync holds its temp files
            result = self.run_gsync("sentinel2")
        self.assertExit(result, 0)
        self.assertTrue(os.path.exists(path), "a live run's temp file was removed")
        self.assertNotIn("Removed", result.stdout)

    def test_dry_run_removes_nothing(self):
        path = self.plant(".gone.tif.gsync-part")
        result = self.run_gsync("sentinel2", "--dry-run")
        self.assertExit(result, 0)
        self.assertTrue(os.path.exists(path))

    def test_objects_named_like_temp_files_are_refused(self):
        reserved = key("sentinel2", "201_Left/clipped/.x.tif.gsync-part")
        self.put_objects(self.bucket, {reserved: b"would be taken for a leftover"})
        result = self.run_gsync("sentinel2")
        self.assertExit(result, 0)
        self.assertSummary(result, downloaded=2, refused=1)
        self.assertIn("temporary files", result.stdout + result.stderr)
        self.assertFalse(os.path.exists(self.local_path(reserved)))


if __name__ == "__main__":
    lib.main()
