"""Differential test: glacier-sync --force-overwrite and aws-cli v2 `s3 sync` produce the same tree."""

import os
import subprocess

import gsync_testlib as lib
from gsync_testlib import PREFIX, key

MULTIPART_SIZE = 17 * 1024 * 1024  # above aws-cli's 8 MiB threshold: uploaded in 3 parts


class DifferentialTest(lib.GsyncTestCase):
    def test_same_tree_as_aws_s3_sync(self):
        bucket = self.new_bucket()
        rest = [
            "134_Arsuk/clipped/S2A_MSIL2A_20250804T140751_N0511_R053.tif",
            "134_Arsuk/clipped/with space.tif",
            "134_Arsuk/clipped/two  spaces and trailing .tif",
            "134_Arsuk/clipped/unicode_Ærøskøbing_Qaanaaq_日本語.tif",
            "134_Arsuk/clipped/plus+sign.tif",
            "134_Arsuk/clipped/percent%20literal%2F.tif",
            "134_Arsuk/clipped/equals=sign&amp;ersand.tif",
            "134_Arsuk/clipped/mixed (1) [a] {b} ~tilde! $dollar ,comma ;semi @at 'quote'.tif",
            "134_Arsuk/metadata/combined_csv/134_Arsuk.csv",
            "134_Arsuk/metadata/individual_csv/empty.csv",
            "134_Arsuk/download/2025/T22VFP_20250804T140751_B08.tif",
            "dir with space/ünïcode dir/+=%/file.txt",
        ]
        objects = {}
        for index, name in enumerate(rest):
            objects[key("sentinel2", name)] = b"" if name.endswith("empty.csv") else lib.deterministic_bytes(index, 1000 + 37 * index)
        self.put_objects(bucket, objects)

        # The multipart object is uploaded by aws-cli itself, as the pipeline would.
        big_key = key("sentinel2", "191_Hagen_Brae/download/2025/big multipart+tile=1.tif")
        big_file = os.path.join(self.tmp, "big.bin")
        with open(big_file, "wb") as f:
            f.write(lib.deterministic_bytes(99, MULTIPART_SIZE))
        lib.run_aws_v2(self.gateway_env, "s3", "cp", big_file, f"s3://{bucket}/{big_key}")
        listed = {o.key: o for o in self.s3.list_objects(bucket)}
        self.assertTrue(listed[big_key].etag.endswith("-3"), f"not a multipart object: {listed[big_key].etag}")
        self.assertEqual(len(listed), len(objects) + 1)

        # glacier-sync into A (with a stale file it must replace), aws s3 sync into B.
        tree_a = self.data_dir
        stale = self.local_path(key("sentinel2", rest[0]), tree_a)
        os.makedirs(os.path.dirname(stale))
        with open(stale, "wb") as f:
            f.write(b"stale local copy")
        self.write_config(bucket)
        result = self.run_gsync("sentinel2", "--force-overwrite")
        self.assertExit(result, 0)

        tree_b = self.mkdir("aws-tree")
        destination = os.path.join(tree_b, PREFIX, "sentinel2") + "/"
        lib.run_aws_v2(self.gateway_env, "s3", "sync", f"s3://{bucket}/{PREFIX}/sentinel2/", destination)

        files_a = lib.files_under(tree_a)
        files_b = lib.files_under(tree_b)
        self.assertEqual(sorted(files_a), sorted(files_b), "the two trees have different files")
        for path in files_b:
            self.assertTrue(files_a[path] == files_b[path], f"{path} differs from aws s3 sync's copy")
        self.assertEqual(len(files_b), len(objects) + 1)
        self.assertEqual(lib.entries_under(tree_a), lib.entries_under(tree_b), "the folder structures differ")
        # Both set the mtime from LastModified (aws-cli truncates to whole seconds).
        for path in files_b:
            mtime_a = os.stat(os.path.join(tree_a, path)).st_mtime
            mtime_b = os.stat(os.path.join(tree_b, path)).st_mtime
            self.assertLess(abs(mtime_a - mtime_b), 1.0, path)

        # And a second glacier-sync run agrees with aws-cli that nothing changed.
        again = self.run_gsync("sentinel2", "--force-overwrite")
        self.assertExit(again, 0)
        self.assertSummary(again, downloaded=0, skipped=len(objects) + 1)


if __name__ == "__main__":
    lib.main()
