"""Sync rules against the gateway: safe mode, --force-overwrite, mtimes, output, listing."""

import os
import re

import gsync_testlib as lib
from gsync_testlib import PREFIX, key


class SyncRulesTest(lib.GsyncTestCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.objects = lib.small_dataset()
        self.listed = self.put_objects(self.bucket, self.objects)
        self.write_config(self.bucket)

    def expected_tree(self, objects=None):
        return {os.path.join(*k.split("/")): v for k, v in (objects or self.objects).items()}

    def test_first_sync_downloads_everything_sets_mtimes_and_reports(self):
        result = self.run_gsync("all")
        self.assertExit(result, 0)
        self.assertEqual(lib.files_under(self.data_dir), self.expected_tree())
        for object_key, listed in self.listed.items():
            self.assertMtimeMatches(self.local_path(object_key), listed.last_modified)
        self.assertSummary(result, downloaded=len(self.objects), skipped=0, kept=0, failed=0, refused=0, excluded=0)

        data = re.escape(self.data_dir)
        bucket = re.escape(self.bucket)
        self.assertLinesInOrder(
            result,
            [
                r"^Reading configuration from: " + re.escape(self.config_path) + r"\s*$",
                r"^Environment: local\b",
                r"^Working in data directory: " + data + r"/?\s*$",
                r"AWS S3 Data Sync",
                r"SAFE MODE - Existing files will be skipped \(multi-user friendly\)",
                r"Syncing sentinel2 data\.\.\.",
                rf"From:\s+s3://{bucket}/{PREFIX}/sentinel2/\s*$",
                rf"To:\s+{data}/{PREFIX}/sentinel2/\s*$",
                r"✅ sentinel2 sync complete",
                r"Syncing landsat data\.\.\.",
                rf"From:\s+s3://{bucket}/{PREFIX}/landsat/\s*$",
                rf"To:\s+{data}/{PREFIX}/landsat/\s*$",
                r"✅ landsat sync complete",
                r"Sync Complete!",
                r"^\s*Summary: downloaded \d+, skipped \d+, kept \d+, failed \d+, refused \d+, excluded \d+",
                r"^\s*Transferred:",
                r"[├└]── ",
            ],
        )
        self.assertNotIn("DRY RUN MODE", result.stdout)
        self.assertNotIn("FORCE OVERWRITE MODE", result.stdout)
        self.assertNotIn("(dryrun)", result.stdout)
        self.assertNotIn("Kept ", result.stdout)
        # No colour codes with NO_COLOR and no terminal.
        self.assertNotIn("\x1b[", result.output)

    def test_tree_is_drawn_three_levels_deep(self):
        result = self.run_gsync("all")
        self.assertExit(result, 0)
        lines = result.stdout.splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Transferred:"))
        tree = "\n".join(line for line in lines[start + 1 :] if "──" in line)
        self.assertTrue(tree, f"no tree after the summary\n{result.describe()}")
        # Level 1 is the prefix, level 2 the satellites, level 3 the regions.
        for name in (PREFIX, "sentinel2", "landsat", "134_Arsuk", "191_Hagen_Brae", "_reference"):
            self.assertIn(name, tree, f"{name} missing from the tree\n{result.describe()}")
        # Level 4 (inside a region) is not drawn.
        for name in ("clipped", "metadata", "template", "stac_items.json"):
            self.assertNotIn(name, tree, f"{name} is deeper than 3 levels\n{result.describe()}")

    def test_second_run_skips_everything_without_downloading(self):
        self.assertExit(self.run_gsync("all"), 0)
        mtimes = {p: os.stat(os.path.join(self.data_dir, p)).st_mtime for p in self.expected_tree()}
        proxy = self.start_proxy()
        result = self.run_gsync("all", "--endpoint-url", proxy.endpoint)
        self.assertExit(result, 0)
        self.assertSummary(result, downloaded=0, skipped=len(self.objects), kept=0, failed=0)
        self.assertEqual(proxy.object_gets(), [], "objects were fetched again")
        self.assertTrue(any(r.is_list for r in proxy.all_requests()), "the run did not list through the proxy")
        self.assertEqual(lib.files_under(self.data_dir), self.expected_tree())
        for path, mtime in mtimes.items():
            self.assertEqual(os.stat(os.path.join(self.data_dir, path)).st_mtime, mtime)

    def test_safe_mode_keeps_local_files_that_differ_and_never_overwrites(self):
        keys = sorted(self.objects)
        different_size = keys[0]
        same_size = keys[1]
        local_different = b"local edit, a different size"
        local_same_size = bytes(reversed(self.objects[same_size]))
        self.assertNotEqual(local_same_size, self.objects[same_size])
        for object_key, data in ((different_size, local_different), (same_size, local_same_size)):
            os.makedirs(os.path.dirname(self.local_path(object_key)), exist_ok=True)
            with open(self.local_path(object_key), "wb") as f:
                f.write(data)

        result = self.run_gsync()
        self.assertExit(result, 0)
        self.assertIn("SAFE MODE - Existing files will be skipped (multi-user friendly)", result.stdout)
        with open(self.local_path(different_size), "rb") as f:
            self.assertEqual(f.read(), local_different, "safe mode overwrote a local file")
        with open(self.local_path(same_size), "rb") as f:
            self.assertEqual(f.read(), local_same_size, "safe mode overwrote a same-size file")
        expected = self.expected_tree()
        expected[os.path.join(*different_size.split("/"))] = local_different
        expected[os.path.join(*same_size.split("/"))] = local_same_size
        self.assertEqual(lib.files_under(self.data_dir), expected)
        self.assertSummary(result, downloaded=len(self.objects) - 2, skipped=1, kept=1, failed=0)

        lines = result.stdout.splitlines()
        header = [
            i
            for i, line in enumerate(lines)
            if re.search(
                # "file(s) that differ" or proper grammar ("1 local file that differs").
                r"Kept 1 local (file\(s\) that differ|file that differs) from S3 "
                r"\(not overwritten; use --force-overwrite to replace\):",
                line,
            )
        ]
        self.assertEqual(len(header), 1, f"no kept block\n{result.describe()}")
        listed = lines[header[0] + 1]
        self.assertTrue(listed.startswith((" ", "\t")), f"kept entry is not indented: {listed!r}")
        satellite_relative = different_size.split("/", 1)[1]
        self.assertTrue(
            listed.strip().startswith((different_size, satellite_relative)),
            f"kept entry does not start with the file's relative path: {listed!r}",
        )

    def test_force_overwrite_replaces_on_size_or_mtime_difference(self):
        self.assertExit(self.run_gsync("all"), 0)
        keys = sorted(self.objects)
        size_differs, mtime_differs, same_mtime, truncated_mtime = keys[0], keys[1], keys[2], keys[3]

        with open(self.local_path(size_differs), "wb") as f:
            f.write(b"shorter")
        # Same size, content changed, an hour older: reprocessed-in-S3 case aws s3 sync misses.
        scrambled = bytes(reversed(self.objects[mtime_differs]))
        with open(self.local_path(mtime_differs), "wb") as f:
            f.write(scrambled)
        lm = self.listed[mtime_differs].last_modified.timestamp()
        os.utime(self.local_path(mtime_differs), (lm - 3600, lm - 3600))
        # Same size and mtime equal to LastModified: nothing says it differs, so it stays.
        marker = bytes(reversed(self.objects[same_mtime]))
        with open(self.local_path(same_mtime), "wb") as f:
            f.write(marker)
        lm = self.listed[same_mtime].last_modified.timestamp()
        os.utime(self.local_path(same_mtime), (lm, lm))
        # Whole-second truncation (what aws-cli writes) is less than a second off: stays.
        marker2 = bytes(reversed(self.objects[truncated_mtime]))
        with open(self.local_path(truncated_mtime), "wb") as f:
            f.write(marker2)
        lm = int(self.listed[truncated_mtime].last_modified.timestamp())
        os.utime(self.local_path(truncated_mtime), (lm, lm))

        proxy = self.start_proxy()
        result = self.run_gsync("--force-overwrite", "all", "--endpoint-url", proxy.endpoint)
        self.assertExit(result, 0)
        self.assertRegex(result.stdout, r"(?m)^.*FORCE OVERWRITE MODE")
        self.assertNotIn("SAFE MODE", result.stdout)
        for replaced in (size_differs, mtime_differs):
            with open(self.local_path(replaced), "rb") as f:
                self.assertEqual(f.read(), self.objects[replaced], f"{replaced} was not replaced")
            self.assertMtimeMatches(self.local_path(replaced), self.listed[replaced].last_modified)
        with open(self.local_path(same_mtime), "rb") as f:
            self.assertEqual(f.read(), marker, "a same-size, same-mtime file was downloaded again")
        with open(self.local_path(truncated_mtime), "rb") as f:
            self.assertEqual(f.read(), marker2, "a file less than 1 s off was downloaded again")
        fetched = sorted(r.object_key() for r in proxy.object_gets())
        self.assertEqual(sorted(set(fetched)), sorted([size_differs, mtime_differs]))
        self.assertSummary(result, downloaded=2, skipped=len(self.objects) - 2, kept=0, failed=0)

    def test_single_satellite_is_synced_alone(self):
        result = self.run_gsync("landsat")
        self.assertExit(result, 0)
        self.assertIn("Syncing landsat data...", result.stdout)
        self.assertNotIn("Syncing sentinel2 data...", result.stdout)
        landsat = {k: v for k, v in self.objects.items() if k.startswith(f"{PREFIX}/landsat/")}
        self.assertEqual(lib.files_under(self.data_dir), self.expected_tree(landsat))

        result = self.run_gsync("sentinel2")
        self.assertExit(result, 0)
        self.assertIn("Syncing sentinel2 data...", result.stdout)
        self.assertNotIn("Syncing landsat data...", result.stdout)
        self.assertEqual(lib.files_under(self.data_dir), self.expected_tree())

    def test_no_satellite_means_all_in_order(self):
        result = self.run_gsync()
        self.assertExit(result, 0)
        self.assertLinesInOrder(result, [r"Syncing sentinel2 data", r"Syncing landsat data", r"Sync Complete!"])
        self.assertEqual(lib.files_under(self.data_dir), self.expected_tree())


class SyncListingTest(lib.GsyncTestCase):
    def test_more_than_one_listing_page(self):
        bucket = self.new_bucket()
        objects = {key("sentinel2", f"150_Many/clipped/scene_{i:05d}.csv"): f"{i}\n".encode() for i in range(1100)}
        listed = self.put_objects(bucket, objects, workers=32)
        self.assertEqual(len(listed), 1100)
        self.write_config(bucket)
        proxy = self.start_proxy()
        result = self.run_gsync("sentinel2", "--endpoint-url", proxy.endpoint)
        self.assertExit(result, 0)
        self.assertEqual(len(lib.files_under(self.data_dir)), 1100)
        self.assertEqual(
            lib.files_under(self.data_dir), {os.path.join(*k.split("/")): v for k, v in objects.items()}
        )
        lists = [r for r in proxy.all_requests() if r.is_list]
        self.assertGreaterEqual(len(lists), 2, "1100 objects need more than one ListObjectsV2 page")
        self.assertTrue(any("continuation-token" in r.query for r in lists))
        self.assertTrue(all(r.query.get("encoding-type") == "url" for r in lists))
        self.assertSummary(result, downloaded=1100, failed=0)

    def test_large_object_is_streamed_not_held_in_memory(self):
        bucket = self.new_bucket()
        size = 96 * 1024 * 1024
        big_key = key("sentinel2", "170_Big/download/2025/T22VFP_20250804T140751_B08.tif")
        data = lib.deterministic_bytes(3, size)
        self.s3.put_object(bucket, big_key, data)
        self.write_config(bucket)
        result, peak_kib = self.run_gsync_measured("sentinel2")
        self.assertExit(result, 0)
        with open(self.local_path(big_key), "rb") as f:
            self.assertTrue(f.read() == data, "the large object was not downloaded intact")
        self.assertLess(peak_kib, 64 * 1024, f"peak RSS {peak_kib} KiB for a {size >> 20} MiB object")

    def test_directory_markers_empty_objects_and_odd_names(self):
        bucket = self.new_bucket()
        objects = {
            key("sentinel2", "160_Odd/"): b"",
            key("sentinel2", "160_Odd/clipped/"): b"",
            key("sentinel2", "160_Odd/clipped/empty.tif"): b"",
            key("sentinel2", "160_Odd/clipped/with space.tif"): b"space",
            key("sentinel2", "160_Odd/clipped/Ærøskøbing_日本.tif"): b"unicode",
            key("sentinel2", "160_Odd/clipped/a+b=c%20d&e'f.tif"): b"punctuation",
        }
        listed = self.put_objects(bucket, objects)
        self.write_config(bucket)
        result = self.run_gsync("sentinel2")
        self.assertExit(result, 0)
        files = {k: v for k, v in objects.items() if not k.endswith("/")}
        self.assertEqual(
            lib.files_under(self.data_dir), {os.path.join(*k.split("/")): v for k, v in files.items()}
        )
        for object_key in files:
            self.assertMtimeMatches(self.local_path(object_key), listed[object_key].last_modified)
        self.assertTrue(os.path.isfile(self.local_path(key("sentinel2", "160_Odd/clipped/empty.tif"))))
        self.assertSummary(result, downloaded=len(files), failed=0, refused=0)


if __name__ == "__main__":
    lib.main()
