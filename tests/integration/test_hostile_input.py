"""Hostile and bad input: each gets a clear one-line error (or warning) and nothing is lost.

Covers what the other suites do not: damaged config files, unusable data directories,
bad option values, garbage from the server, and a local tree that is in the way
(files where folders go, folders where files go, symlinks that lead outside).
"""

import os
import subprocess

import gsync_testlib as lib
from gsync_testlib import PREFIX, key
from recording_proxy import Fault


class HostileCase(lib.GsyncTestCase):
    def assertOneLineError(self, result, code=2, *needles):
        self.assertExit(result, code)
        errors = [l for l in result.stderr.splitlines() if l.strip()]
        self.assertEqual(len(errors), 1, f"expected a one-line error\n{result.describe()}")
        self.assertTrue(errors[0].startswith("Error: "), result.describe())
        for needle in needles:
            self.assertIn(needle, errors[0], result.describe())
        return errors[0]


class BadConfigTest(HostileCase):
    def write_raw(self, content, mode="w"):
        os.makedirs(os.path.dirname(self.config_path), exist_ok=True)
        with open(self.config_path, mode) as f:
            f.write(content)

    def test_empty_config(self):
        self.write_raw("")
        self.assertOneLineError(self.run_gsync("sentinel2"), 2, self.config_path)
        self.assertEqual(lib.entries_under(self.data_dir), [])

    def test_binary_config(self):
        self.write_raw(bytes(range(256)) * 4, mode="wb")
        self.assertOneLineError(self.run_gsync("sentinel2"), 2, self.config_path)

    def test_config_without_paths_section(self):
        self.write_raw("[SETTINGS]\nexecution_mode = local\n[S3]\nbucket = b\n")
        line = self.assertOneLineError(self.run_gsync("sentinel2"), 2, self.config_path)
        self.assertIn("PATHS", line)

    def test_unreadable_config(self):
        # Root reads any file, so "unreadable" is made with a folder in the file's place.
        os.makedirs(self.config_path)
        self.assertOneLineError(self.run_gsync("sentinel2"), 2, self.config_path)


class BadDataDirTest(HostileCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.objects = lib.small_dataset()
        self.put_objects(self.bucket, self.objects)

    def test_data_dir_that_is_a_file(self):
        os.rmdir(self.data_dir)
        with open(self.data_dir, "w") as f:
            f.write("not a folder")
        self.write_config(self.bucket)
        self.assertOneLineError(self.run_gsync("sentinel2"), 2, self.data_dir)
        with open(self.data_dir) as f:
            self.assertEqual(f.read(), "not a folder")

    def test_unwritable_data_dir(self):
        # A read-only mount: root's permission bypass does not apply to it.
        subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", self.data_dir], check=True)
        self.addCleanup(subprocess.run, ["umount", "-l", self.data_dir])
        self.write_config(self.bucket)
        result = self.run_gsync("sentinel2")
        self.assertExit(result, 1)
        self.assertIn("Read-only file system", result.stderr)
        self.assertSummary(result, downloaded=0)
        self.assertEqual(os.listdir(self.data_dir), [])


class BadOptionTest(HostileCase):
    def setUp(self):
        super().setUp()
        self.write_config("gsync-never-created")

    def test_bad_jobs(self):
        for value in ("0", "-3", "many", "100000", "2.5"):
            with self.subTest(value=value):
                result = self.run_gsync("sentinel2", "--jobs", value)
                self.assertExit(result, 2)
                self.assertIn("--jobs", result.stderr)
                self.assertEqual(lib.entries_under(self.data_dir), [])

    def test_bad_endpoint_url(self):
        for value in ("ftp://example.com", "not a url", "http://", "http://host:99999"):
            with self.subTest(value=value):
                self.assertOneLineError(self.run_gsync("sentinel2", "--endpoint-url", value), 2, value)
                self.assertEqual(lib.entries_under(self.data_dir), [])

    def test_unknown_satellite_names_it(self):
        result = self.run_gsync("modis")
        self.assertExit(result, 2)
        self.assertIn("modis", result.stderr)


class BadServerTest(HostileCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.objects = lib.small_dataset()
        self.put_objects(self.bucket, self.objects)
        self.write_config(self.bucket)
        self.proxy = self.start_proxy()

    def run_via_proxy(self, *args):
        return self.run_gsync("sentinel2", *args, "--endpoint-url", self.proxy.endpoint)

    def test_malformed_listing_xml_is_retried_then_a_clear_error(self):
        self.proxy.add_fault(Fault(lambda r: r.is_list, status=200, body=b"<ListBucketResult><Contents>",
                                   headers={"Content-Type": "application/xml"}))
        result = self.run_via_proxy("--retries", "1")
        self.assertNotEqual(result.code, 0)
        self.assertRegex(result.stderr, r"(?m)^Error: .*unreadable listing")
        self.assertEqual(lib.entries_under(self.data_dir), [])

    def test_malformed_listing_once_is_retried(self):
        self.proxy.add_fault(Fault(lambda r: r.is_list, times=1, status=200, body=b"\x00garbage",
                                   headers={"Content-Type": "application/xml"}))
        result = self.run_via_proxy("--retries", "2")
        self.assertExit(result, 0)
        sentinel = {os.path.join(*k.split("/")): v for k, v in self.objects.items() if "/sentinel2/" in k}
        self.assertEqual(lib.files_under(self.data_dir), sentinel)

    def test_wrong_content_length_never_lands(self):
        victim = sorted(k for k in self.objects if "/sentinel2/" in k)[0]
        # The proxy answers with the body cut short but the object's full Content-Length.
        self.proxy.truncate_key(victim, after_bytes=10, times=None)
        result = self.run_via_proxy("--retries", "1")
        self.assertExit(result, 1)
        self.assertFalse(os.path.exists(self.local_path(victim)))
        self.assertEqual([n for n in os.listdir(os.path.dirname(self.local_path(victim))) if "gsync" in n], [])


class LocalTreeInTheWayTest(HostileCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.objects = {
            key("sentinel2", "134_Arsuk/clipped/a.tif"): b"a",
            key("sentinel2", "134_Arsuk/clipped/b.tif"): b"b",
            key("sentinel2", "191_Hagen_Brae/clipped/c.tif"): b"c",
        }
        self.put_objects(self.bucket, self.objects)
        self.write_config(self.bucket)
        self.sat = os.path.join(self.data_dir, PREFIX, "sentinel2")
        os.makedirs(self.sat)

    def test_a_file_where_a_folder_must_go(self):
        in_the_way = os.path.join(self.sat, "134_Arsuk")
        with open(in_the_way, "w") as f:
            f.write("a user's file")
        result = self.run_gsync("sentinel2")
        self.assertExit(result, 1)
        self.assertSummary(result, downloaded=1, failed=2)
        with open(in_the_way) as f:
            self.assertEqual(f.read(), "a user's file")
        self.assertIn("134_Arsuk", result.stderr)
        self.assertTrue(os.path.exists(self.local_path(key("sentinel2", "191_Hagen_Brae/clipped/c.tif"))))

    def test_a_folder_where_a_file_must_go(self):
        os.makedirs(self.local_path(key("sentinel2", "134_Arsuk/clipped/a.tif")))
        result = self.run_gsync("sentinel2")
        self.assertNotEqual(result.code, 2)
        self.assertTrue(os.path.isdir(self.local_path(key("sentinel2", "134_Arsuk/clipped/a.tif"))))
        self.assertIn("a.tif", result.stderr + result.stdout)
        self.assertTrue(os.path.isfile(self.local_path(key("sentinel2", "134_Arsuk/clipped/b.tif"))))

    def test_a_symlink_leading_outside_is_never_written_through(self):
        outside = self.mkdir("outside")
        os.symlink(outside, os.path.join(self.sat, "134_Arsuk"))
        result = self.run_gsync("sentinel2")
        self.assertExit(result, 1)
        self.assertEqual(os.listdir(outside), [])
        self.assertIn("symlink", result.stderr)
        self.assertTrue(os.path.exists(self.local_path(key("sentinel2", "191_Hagen_Brae/clipped/c.tif"))))


if __name__ == "__main__":
    lib.main()
