"""--exclude-downloads on the production layout, and --dry-run."""

import os

import gsync_testlib as lib
from gsync_testlib import PREFIX, key


def production_layout():
    """download/ folders at several depths, beside processed results and look-alikes."""
    objects = {
        # Excluded: a folder named exactly `download` at any depth under the satellite root.
        key("sentinel2", "134_Arsuk/download/2025/T22VFP_20250804T140751_B08.tif"): b"raw tile 1",
        key("sentinel2", "134_Arsuk/download/2024/T22VFP_20240704T140751_B08.tif"): b"raw tile 2",
        key("sentinel2", "140_CentralLindenow/download/2025/T23VLH_B08.tif"): b"raw tile 3",
        key("sentinel2", "download/stray.tif"): b"top-level download folder",
        key("sentinel2", "140_CentralLindenow/extra/deeper/download/x.tif"): b"deep download folder",
        key("landsat", "134_Arsuk/download/2025/LC09_raw.tif"): b"landsat raw",
        # Kept: processed results and names that merely contain "download".
        key("sentinel2", "134_Arsuk/clipped/S2A_MSIL2A_20250804T140751_N0511_R053.tif"): b"clipped 1",
        key("sentinel2", "134_Arsuk/metadata/combined_csv/134_Arsuk.csv"): b"csv",
        key("sentinel2", "134_Arsuk/template/134_Arsuk.tif"): b"template",
        key("sentinel2", "140_CentralLindenow/clipped/S2B_MSIL2A_20250806.tif"): b"clipped 2",
        key("sentinel2", "140_CentralLindenow/downloads/not_excluded.tif"): b"downloads is another name",
        key("sentinel2", "140_CentralLindenow/predownload/not_excluded.tif"): b"predownload too",
        key("sentinel2", "140_CentralLindenow/clipped/download_B08.tif"): b"a file, not a folder",
        key("landsat", "134_Arsuk/20250802141328_LC09_L1TP_ortho.tif"): b"landsat ortho",
        key("landsat", "_reference/stac.json"): b"{}",
    }
    return objects


def in_download_folder(object_key, folder="download"):
    return folder in object_key.split("/")[2:-1]


class ExcludeDownloadsTest(lib.GsyncTestCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.objects = production_layout()
        self.put_objects(self.bucket, self.objects)

    def test_exclude_downloads_fetches_nothing_from_any_download_folder(self):
        self.write_config(self.bucket)
        proxy = self.start_proxy()
        result = self.run_gsync("all", "--exclude-downloads", "--endpoint-url", proxy.endpoint)
        self.assertExit(result, 0)
        kept = {k: v for k, v in self.objects.items() if not in_download_folder(k)}
        excluded = [k for k in self.objects if in_download_folder(k)]
        self.assertEqual(len(excluded), 6)
        self.assertEqual(
            lib.files_under(self.data_dir), {os.path.join(*k.split("/")): v for k, v in kept.items()}
        )
        fetched = [r.object_key() for r in proxy.object_gets()] + [
            r.object_key() for r in proxy.all_requests() if r.method == "HEAD" and r.object_key()
        ]
        for object_key in fetched:
            self.assertFalse(in_download_folder(object_key), f"{object_key} was requested")
        self.assertEqual(sorted(set(fetched)), sorted(kept))
        self.assertIn("EXCLUDING download/ folders - Only processed results will be synced", result.stdout)
        self.assertEqual(result.stdout.count("Excluding: download/ folders"), 2, result.describe())
        self.assertSummary(result, downloaded=len(kept), failed=0)
        # Excluded folders may be pruned from the listing, so their objects are never seen
        # and cannot be counted one by one; the counter only has to show that it excluded.
        self.assertGreaterEqual(result.summary().get("excluded", 0), 1, result.describe())

    def test_without_exclude_download_folders_are_synced(self):
        self.write_config(self.bucket)
        result = self.run_gsync("all")
        self.assertExit(result, 0)
        self.assertEqual(
            lib.files_under(self.data_dir), {os.path.join(*k.split("/")): v for k, v in self.objects.items()}
        )
        self.assertNotIn("EXCLUDING", result.stdout)
        self.assertNotIn("Excluding:", result.stdout)
        self.assertSummary(result, downloaded=len(self.objects), excluded=0)

    def test_configured_download_folder_name_is_the_one_excluded(self):
        extra_objects = {
            key("sentinel2", "134_Arsuk/raw/2025/tile.tif"): b"raw under another name",
        }
        self.put_objects(self.bucket, extra_objects)
        self.write_config(self.bucket, extra="\n[SYNC]\ndownload_folder = raw\n")
        result = self.run_gsync("sentinel2", "--exclude-downloads")
        self.assertExit(result, 0)
        files = lib.files_under(self.data_dir)
        self.assertNotIn(os.path.join(*key("sentinel2", "134_Arsuk/raw/2025/tile.tif").split("/")), files)
        # `download` is an ordinary folder now.
        self.assertIn(
            os.path.join(*key("sentinel2", "134_Arsuk/download/2025/T22VFP_20250804T140751_B08.tif").split("/")),
            files,
        )


class DryRunTest(lib.GsyncTestCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.objects = production_layout()
        self.objects[key("sentinel2", "150_Odd/clipped/with space é+%=.tif")] = b"odd name"
        self.put_objects(self.bucket, self.objects)
        self.write_config(self.bucket)

    def dryrun_lines(self, result):
        return sorted(line.strip() for line in result.stdout.splitlines() if line.strip().startswith("(dryrun)"))

    def expected_line(self, object_key):
        return f"(dryrun) download: s3://{self.bucket}/{object_key} to {object_key}"

    def test_dry_run_writes_nothing_and_lists_every_file(self):
        proxy = self.start_proxy()
        result = self.run_gsync("--dry-run", "all", "--endpoint-url", proxy.endpoint)
        self.assertExit(result, 0)
        self.assertIn("DRY RUN MODE - No files will be downloaded", result.stdout)
        self.assertEqual(lib.entries_under(self.data_dir), [], "a dry run wrote to the data directory")
        self.assertEqual(self.dryrun_lines(result), sorted(self.expected_line(k) for k in self.objects))
        self.assertEqual(proxy.object_gets(), [], "a dry run downloaded objects")
        self.assertSummary(result, downloaded=len(self.objects), skipped=0, failed=0)

    def test_dry_run_with_exclude_lists_only_processed_results(self):
        result = self.run_gsync("--exclude-downloads", "--dry-run")
        self.assertExit(result, 0)
        expected = sorted(self.expected_line(k) for k in self.objects if not in_download_folder(k))
        self.assertEqual(self.dryrun_lines(result), expected)
        self.assertEqual(lib.entries_under(self.data_dir), [])
        self.assertIn("DRY RUN MODE - No files will be downloaded", result.stdout)
        self.assertIn("EXCLUDING download/ folders - Only processed results will be synced", result.stdout)

    def test_dry_run_lists_only_what_a_real_run_would_download(self):
        present = key("landsat", "_reference/stac.json")
        differs = key("sentinel2", "134_Arsuk/template/134_Arsuk.tif")
        for object_key, data in ((present, self.objects[present]), (differs, b"local, different size")):
            os.makedirs(os.path.dirname(self.local_path(object_key)), exist_ok=True)
            with open(self.local_path(object_key), "wb") as f:
                f.write(data)
        before = lib.files_under(self.data_dir)
        result = self.run_gsync("--dry-run")
        self.assertExit(result, 0)
        expected = sorted(self.expected_line(k) for k in self.objects if k not in (present, differs))
        self.assertEqual(self.dryrun_lines(result), expected)
        self.assertEqual(lib.files_under(self.data_dir), before)
        self.assertSummary(result, downloaded=len(self.objects) - 2, skipped=1, kept=1)


if __name__ == "__main__":
    lib.main()
