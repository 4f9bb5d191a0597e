"""Resilience: transient errors are retried, persistent ones fail one file, regions are followed."""

import os

import gsync_testlib as lib
from gsync_testlib import key


class RetryTest(lib.GsyncTestCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.objects = lib.small_dataset()
        self.put_objects(self.bucket, self.objects)
        self.write_config(self.bucket)
        self.proxy = self.start_proxy()
        self.victim = sorted(k for k in self.objects if "/sentinel2/" in k)[0]

    def run_via_proxy(self, *args):
        return self.run_gsync(*args, "--endpoint-url", self.proxy.endpoint)

    def assertAllDownloaded(self, result):
        self.assertExit(result, 0)
        self.assertEqual(
            lib.files_under(self.data_dir), {os.path.join(*k.split("/")): v for k, v in self.objects.items()}
        )
        self.assertSummary(result, downloaded=len(self.objects), failed=0)

    def test_transient_500_and_503_on_downloads_are_retried(self):
        self.proxy.fail_key(self.victim, 500, "InternalError", times=2)
        other = sorted(k for k in self.objects if "/landsat/" in k)[0]
        self.proxy.fail_key(other, 503, "SlowDown", times=2)
        result = self.run_via_proxy("all", "--retries", "4")
        self.assertAllDownloaded(result)
        self.assertEqual(len(self.proxy.object_gets(self.victim)), 3, self.proxy.recorded())
        self.assertEqual(len(self.proxy.object_gets(other)), 3, self.proxy.recorded())

    def test_transient_errors_on_listing_are_retried(self):
        self.proxy.fail_lists(503, "SlowDown", times=1)
        self.proxy.fail_lists(500, "InternalError", times=1)
        self.assertAllDownloaded(self.run_via_proxy("all", "--retries", "4"))

    def test_truncated_body_is_retried(self):
        self.proxy.truncate_key(self.victim, after_bytes=100, times=1)
        self.assertAllDownloaded(self.run_via_proxy("all", "--retries", "3"))
        self.assertGreaterEqual(len(self.proxy.object_gets(self.victim)), 2)

    def test_persistent_failure_fails_one_file_and_the_rest_completes(self):
        self.proxy.fail_key(self.victim, 500, "InternalError")
        result = self.run_via_proxy("all", "--retries", "2")
        self.assertExit(result, 1)
        self.assertIn(f"Error: download failed: s3://{self.bucket}/{self.victim}: ", result.stderr)
        expected = {os.path.join(*k.split("/")): v for k, v in self.objects.items() if k != self.victim}
        self.assertEqual(lib.files_under(self.data_dir), expected)
        self.assertSummary(result, downloaded=len(self.objects) - 1, failed=1)
        # Bounded by --retries (read as attempts or as retries after the first): never unbounded,
        # and a transient-looking 500 is tried more than once.
        self.assertIn(len(self.proxy.object_gets(self.victim)), (2, 3), self.proxy.recorded())
        self.assertIn("Sync Complete!", result.stdout)

    def test_missing_object_fails_that_file(self):
        # Deleted between the listing and the download: a 404 is a per-file failure, not retried forever.
        self.proxy.fail_key(self.victim, 404, "NoSuchKey")
        result = self.run_via_proxy("all", "--retries", "2")
        self.assertExit(result, 1)
        self.assertIn(f"Error: download failed: s3://{self.bucket}/{self.victim}: ", result.stderr)
        self.assertFalse(os.path.exists(self.local_path(self.victim)))
        self.assertSummary(result, downloaded=len(self.objects) - 1, failed=1)

    def test_missing_bucket_is_an_error(self):
        self.write_config("gsync-no-such-bucket-anywhere")
        result = self.run_gsync("all")
        self.assertNotEqual(result.code, 0)
        self.assertIn("gsync-no-such-bucket-anywhere", result.stderr)
        self.assertRegex(result.stderr, r"(?m)^Error: ")
        self.assertEqual(lib.entries_under(self.data_dir), [])

    def test_jobs_do_not_change_the_result(self):
        for jobs in ("1", "16"):
            with self.subTest(jobs=jobs):
                for path in lib.files_under(self.data_dir):
                    os.remove(os.path.join(self.data_dir, path))
                self.assertAllDownloaded(self.run_gsync("all", "--jobs", jobs))


class RegionTest(lib.GsyncTestCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.objects = lib.small_dataset()
        self.put_objects(self.bucket, self.objects)
        self.proxy = self.start_proxy()
        # Signed for us-west-2 (the default) while the bucket "lives" in eu-north-1.
        self.write_config(self.bucket, region="us-west-2", endpoint_url=self.proxy.endpoint)

    def check_follows_region(self, style):
        self.proxy.require_region("eu-north-1", style)
        result = self.run_gsync("all")
        self.assertExit(result, 0)
        self.assertEqual(
            lib.files_under(self.data_dir), {os.path.join(*k.split("/")): v for k, v in self.objects.items()}
        )
        requests = self.proxy.all_requests()
        self.assertEqual(requests[0].signed_region, "us-west-2")
        answered = [r for r in requests if r.status == 200]
        self.assertTrue(answered)
        self.assertTrue(all(r.signed_region == "eu-north-1" for r in answered))
        # The region is learnt once (or once per listing), not rediscovered for every object.
        wrong = [r for r in requests if r.signed_region != "eu-north-1"]
        self.assertLessEqual(len(wrong), 3, [repr(r) for r in wrong])

    def test_301_with_bucket_region_header_is_followed(self):
        self.check_follows_region("301")

    def test_authorization_header_malformed_region_is_followed(self):
        self.check_follows_region("400")


if __name__ == "__main__":
    lib.main()
