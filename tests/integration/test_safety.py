"""Safety: unsafe keys are refused, writes are atomic, and S3 is only ever read."""

import os
import re
import signal
import time

import gsync_testlib as lib
from gsync_testlib import PREFIX, key


class UnsafeKeysTest(lib.GsyncTestCase):
    UNSAFE = [
        key("sentinel2", "../escape_to_prefix.txt"),
        key("sentinel2", "134_Arsuk/../../../../outside_data_dir.txt"),
        key("sentinel2", "../sentinel2evil/sibling.tif"),
        key("sentinel2", "/absolute.txt"),
        key("sentinel2", "134_Arsuk//empty_segment.tif"),
        key("sentinel2", "134_Arsuk/clipped/.."),
    ]
    SAFE = {
        key("sentinel2", "134_Arsuk/clipped/ok.tif"): b"ok",
        key("sentinel2", "134_Arsuk/clipped/..dots_in_name..tif"): b"dots are fine inside a name",
        key("sentinel2", "134_Arsuk/clipped/a..b/c.tif"): b"so is a..b",
    }

    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        objects = dict(self.SAFE)
        objects.update({k: b"must never be written" for k in self.UNSAFE})
        listed = self.put_objects(self.bucket, objects)
        self.assertEqual(sorted(listed), sorted(objects), "the gateway did not store the keys as given")
        self.write_config(self.bucket)

    def everything_outside_the_data_dir(self):
        found = []
        for path in lib.entries_under(self.tmp):
            if path == "data" or path.startswith("data" + os.sep):
                continue
            if path.split(os.sep)[0] in ("cfg", "home", "cwd", "hpc"):
                if os.path.isfile(os.path.join(self.tmp, path)) and not path.endswith("config.ini"):
                    found.append(path)
                continue
            found.append(path)
        return found

    def test_unsafe_keys_are_refused_with_a_warning(self):
        result = self.run_gsync("sentinel2")
        self.assertExit(result, 0)
        self.assertEqual(
            lib.files_under(self.data_dir), {os.path.join(*k.split("/")): v for k, v in self.SAFE.items()}
        )
        self.assertEqual(self.everything_outside_the_data_dir(), [])
        self.assertFalse(os.path.exists(os.path.join(self.data_dir, PREFIX, "sentinel2evil")))
        for unsafe in self.UNSAFE:
            self.assertRegex(
                result.stderr,
                r"(?m)^Warning: skipped unsafe key '" + re.escape(unsafe) + r"': \S",
                result.describe(),
            )
        for safe in self.SAFE:
            self.assertNotIn(f"'{safe}'", result.stderr)
        self.assertSummary(result, downloaded=len(self.SAFE), refused=len(self.UNSAFE), failed=0)

    def test_unsafe_keys_are_not_listed_in_a_dry_run(self):
        result = self.run_gsync("sentinel2", "--dry-run")
        self.assertExit(result, 0)
        lines = [l.strip() for l in result.stdout.splitlines() if l.strip().startswith("(dryrun)")]
        self.assertEqual(
            sorted(lines), sorted(f"(dryrun) download: s3://{self.bucket}/{k} to {k}" for k in self.SAFE)
        )
        self.assertEqual(lib.entries_under(self.data_dir), [])

    def test_unsafe_keys_are_refused_with_force_overwrite(self):
        result = self.run_gsync("sentinel2", "--force-overwrite")
        self.assertExit(result, 0)
        self.assertEqual(
            lib.files_under(self.data_dir), {os.path.join(*k.split("/")): v for k, v in self.SAFE.items()}
        )
        self.assertEqual(self.everything_outside_the_data_dir(), [])


class AtomicWriteTest(lib.GsyncTestCase):
    SIZE = 24 * 1024 * 1024

    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.big_key = key("sentinel2", "170_Big/download/2025/T22VFP_B08.tif")
        self.small_key = key("sentinel2", "170_Big/clipped/small.tif")
        self.big = lib.deterministic_bytes(7, self.SIZE)
        self.s3.put_object(self.bucket, self.big_key, self.big)
        self.s3.put_object(self.bucket, self.small_key, b"small")
        self.write_config(self.bucket)
        self.final = self.local_path(self.big_key)
        self.folder = os.path.dirname(self.final)

    def interrupted_run(self, send):
        """Starts a sync whose big download stalls mid-body, then calls send(process)."""
        proxy = self.start_proxy()
        stall = proxy.stall_key(self.big_key, after_bytes=6 * 1024 * 1024, seconds=120, times=None)
        process = self.start_gsync("sentinel2", "--endpoint-url", proxy.endpoint, "--jobs", "2")
        deadline = time.monotonic() + 30
        while not stall.fired_event.wait(0.1):
            if process.poll() is not None or time.monotonic() > deadline:
                out, err = process.communicate()
                self.fail(
                    f"the download never reached the stall (exit {process.returncode})\n"
                    f"{out.decode(errors='replace')}\n{err.decode(errors='replace')}"
                )
        # Give the binary time to write what it received.
        deadline = time.monotonic() + 10
        temp_files = []
        while time.monotonic() < deadline:
            if os.path.isdir(self.folder):
                temp_files = [
                    n for n in os.listdir(self.folder) if n != os.path.basename(self.final)
                    and os.path.getsize(os.path.join(self.folder, n)) > 0
                ]
                if temp_files:
                    break
            time.sleep(0.1)
        self.assertFalse(os.path.exists(self.final), "a partial download is visible under the real name")
        self.assertTrue(temp_files, "no partial temporary file in the destination folder during the download")
        send(process)
        try:
            process.wait(timeout=30)
        except Exception:
            process.kill()
            raise
        self.assertFalse(os.path.exists(self.final), "an interrupted download left a file under the real name")
        return process

    def assertRerunCompletes(self):
        result = self.run_gsync("sentinel2")
        self.assertExit(result, 0)
        with open(self.final, "rb") as f:
            self.assertTrue(f.read() == self.big, "the re-downloaded file differs from the object")
        self.assertFalse(
            [
                n for n in os.listdir(self.folder)
                if n != os.path.basename(self.final) and os.path.getsize(os.path.join(self.folder, n)) == self.SIZE
            ],
            "a complete copy is left beside the real file",
        )

    def test_sigkill_leaves_no_file_under_the_real_name(self):
        process = self.interrupted_run(lambda p: p.send_signal(signal.SIGKILL))
        self.assertEqual(process.returncode, -signal.SIGKILL)
        self.assertRerunCompletes()

    def test_sigint_exits_130_without_a_partial_file(self):
        process = self.interrupted_run(lambda p: p.send_signal(signal.SIGINT))
        self.assertEqual(process.returncode, 130)
        # The summary of what was done until the signal is printed before exiting.
        out = process.stdout.read().decode(errors="replace") if process.stdout else ""
        self.assertIn("Sync Interrupted", out)
        self.assertRegex(out, r"(?m)^Summary: downloaded \d+, ")
        self.assertRerunCompletes()

    def test_sigterm_exits_143_without_a_partial_file(self):
        process = self.interrupted_run(lambda p: p.send_signal(signal.SIGTERM))
        self.assertEqual(process.returncode, 143)
        self.assertRerunCompletes()

    def test_truncated_body_never_lands_under_the_real_name(self):
        proxy = self.start_proxy()
        proxy.truncate_key(self.big_key, after_bytes=1024 * 1024, times=None)
        result = self.run_gsync("sentinel2", "--endpoint-url", proxy.endpoint, "--retries", "1")
        self.assertExit(result, 1)
        self.assertFalse(os.path.exists(self.final), "a truncated body was renamed into place")
        with open(self.local_path(self.small_key), "rb") as f:
            self.assertEqual(f.read(), b"small")
        self.assertIn(f"Error: download failed: s3://{self.bucket}/{self.big_key}: ", result.stderr)
        self.assertEqual(
            [n for n in os.listdir(self.folder) if n != os.path.basename(self.final)]
            if os.path.isdir(self.folder) else [],
            [],
            "the temporary file of a failed download was left behind",
        )


class SharedDataDirTest(lib.GsyncTestCase):
    def test_concurrent_runs_into_one_data_dir(self):
        # Several researchers sync the same shared folder on the cluster at once.
        bucket = self.new_bucket()
        objects = {
            key("sentinel2", f"{100 + i % 4}_Region/clipped/scene_{i:03d}.tif"): lib.deterministic_bytes(i, 20000)
            for i in range(60)
        }
        self.put_objects(bucket, objects)
        self.write_config(bucket)
        processes = [self.start_gsync("sentinel2", "--jobs", "4") for _ in range(3)]
        results = []
        for process in processes:
            out, err = process.communicate(timeout=120)
            results.append((process.returncode, out.decode(errors="replace"), err.decode(errors="replace")))
        for code, out, err in results:
            self.assertEqual(code, 0, f"{out}\n{err}")
        self.assertEqual(
            lib.files_under(self.data_dir), {os.path.join(*k.split("/")): v for k, v in objects.items()},
            "concurrent runs left a wrong tree (or temporary files)",
        )
        downloaded = 0
        for _, out, _ in results:
            summary = lib.RunResult(0, out, "", []).summary()
            self.assertIsNotNone(summary, out)
            self.assertEqual(summary["kept"], 0, out)
            self.assertEqual(summary["failed"], 0, out)
            self.assertEqual(summary["downloaded"] + summary["skipped"], len(objects), out)
            downloaded += summary["downloaded"]
        self.assertGreaterEqual(downloaded, len(objects))


class ReadOnlyTest(lib.GsyncTestCase):
    def test_only_get_and_head_reach_the_server(self):
        bucket = self.new_bucket()
        objects = lib.small_dataset()
        objects[key("sentinel2", "134_Arsuk/clipped/")] = b""
        self.put_objects(bucket, objects)
        self.write_config(bucket)
        proxy = self.start_proxy()
        via = ["--endpoint-url", proxy.endpoint]
        self.assertExit(self.run_gsync("all", "--dry-run", *via), 0)
        self.assertExit(self.run_gsync("all", "--exclude-downloads", *via), 0)
        self.assertExit(self.run_gsync("all", *via), 0)
        some = next(k for k in sorted(objects) if not k.endswith("/"))
        with open(self.local_path(some), "wb") as f:
            f.write(b"changed locally")
        self.assertExit(self.run_gsync("all", "--force-overwrite", *via), 0)
        methods = {r.method for r in proxy.all_requests()}
        self.assertTrue(methods, "nothing went through the proxy")
        self.assertLessEqual(methods, {"GET", "HEAD"}, proxy.recorded())
        self.assertIn("GET", methods)
        # A list is a GET on the bucket; objects were fetched with GET on their keys.
        self.assertTrue(any(r.is_list for r in proxy.all_requests()))
        self.assertEqual(sorted(self.s3.list_objects(bucket), key=lambda o: o.key)[0].key, sorted(objects)[0])
        self.assertEqual(len(self.s3.list_objects(bucket)), len(objects))


if __name__ == "__main__":
    lib.main()
