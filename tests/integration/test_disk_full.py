"""Disk full: ENOSPC names the file and the free space, removes the temp file, keeps the rest.

The data directory is a small tmpfs that the test mounts, so the disk really fills.
"""

import os
import re
import subprocess

import gsync_testlib as lib
from gsync_testlib import key

KiB = 1024


class DiskFullTest(lib.GsyncTestCase):
    def setUp(self):
        super().setUp()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", self.data_dir], check=True)
        self.addCleanup(subprocess.run, ["umount", "-l", self.data_dir])
        self.bucket = self.new_bucket()
        self.small = {key("sentinel2", f"134_Arsuk/clipped/small_{i}.tif"): lib.deterministic_bytes(i, 20 * KiB)
                      for i in range(5)}
        self.big = key("sentinel2", "191_Hagen_Brae/download/2025/too_big.tif")
        self.objects = dict(self.small)
        self.objects[self.big] = lib.deterministic_bytes(99, 2048 * KiB)
        self.put_objects(self.bucket, self.objects)
        self.write_config(self.bucket)

    def assertNoTempFiles(self):
        stray = [p for p in lib.entries_under(self.data_dir) if "gsync-" in os.path.basename(p)]
        self.assertEqual(stray, [])

    def test_enospc_fails_that_file_with_the_free_space_and_keeps_the_rest(self):
        result = self.run_gsync("sentinel2", "--jobs", "1")
        self.assertExit(result, 1)
        self.assertRegex(
            result.stderr,
            rf"(?m)^Error: download failed: s3://{re.escape(self.bucket)}/{re.escape(self.big)}: "
            rf".*No space left on device \(.* free on that filesystem\)$",
        )
        self.assertFalse(os.path.exists(self.local_path(self.big)))
        self.assertNoTempFiles()
        for object_key, data in self.small.items():
            with open(self.local_path(object_key), "rb") as f:
                self.assertEqual(f.read(), data)
        self.assertSummary(result, downloaded=len(self.small), failed=1)

    def test_enospc_in_ranged_parts_leaves_no_partial_file(self):
        result = self.run_gsync("sentinel2", "--multipart-threshold", "1MiB", "--part-size", "1MiB")
        self.assertExit(result, 1)
        self.assertIn("No space left on device", result.stderr)
        self.assertFalse(os.path.exists(self.local_path(self.big)))
        self.assertNoTempFiles()
        self.assertSummary(result, failed=1)


if __name__ == "__main__":
    lib.main()
