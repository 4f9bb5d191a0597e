"""Command line and config.ini: arguments, overrides, parsing and discovery."""

import os
import pty
import re
import select
import shutil
import subprocess

import gsync_testlib as lib
from gsync_testlib import PREFIX, key


class CommandLineTest(lib.GsyncTestCase):
    def test_help_lists_the_options(self):
        result = self.run_gsync("--help", config=False)
        self.assertExit(result, 0)
        for option in (
            "--exclude-downloads", "--dry-run", "--force-overwrite", "--config", "--env", "--data-dir",
            "--bucket", "--prefix", "--region", "--endpoint-url", "--profile", "--jobs", "--verbose",
            "--version",
        ):
            self.assertIn(option, result.stdout, f"--help does not mention {option}\n{result.describe()}")
        for satellite in ("sentinel2", "landsat", "all"):
            self.assertIn(satellite, result.stdout)

    def test_version(self):
        result = self.run_gsync("--version", config=False)
        self.assertExit(result, 0)
        self.assertRegex(result.stdout, r"\d+\.\d+\.\d+")

    def test_unknown_argument_prints_usage_and_exits_2(self):
        for args in (["--no-such-option"], ["modis"], ["sentinel2", "--bogus"], ["--jobs", "many"]):
            with self.subTest(args=args):
                bucket_config = self.write_config("gsync-unused")
                result = self.run_gsync(*args, config=bucket_config)
                self.assertExit(result, 2)
                self.assertRegex(result.stderr, r"(?i)usage", result.describe())
                self.assertNotIn("Syncing", result.stdout)
                self.assertEqual(lib.entries_under(self.data_dir), [])

    def test_arguments_in_any_order(self):
        bucket = self.new_bucket()
        objects = lib.small_dataset()
        self.put_objects(bucket, objects)
        self.write_config(bucket)
        for args in (
            ["--dry-run", "sentinel2", "--exclude-downloads"],
            ["sentinel2", "--exclude-downloads", "--dry-run"],
            ["--exclude-downloads", "--dry-run", "sentinel2"],
        ):
            with self.subTest(args=args):
                result = self.run_gsync(*args)
                self.assertExit(result, 0)
                self.assertIn("DRY RUN MODE - No files will be downloaded", result.stdout)
                self.assertIn("EXCLUDING download/ folders", result.stdout)
                self.assertIn("Syncing sentinel2 data...", result.stdout)
                self.assertNotIn("Syncing landsat data...", result.stdout)
                lines = [l for l in result.stdout.splitlines() if l.strip().startswith("(dryrun)")]
                self.assertEqual(
                    len(lines),
                    len([k for k in objects if "/sentinel2/" in k and "/download/" not in k]),
                    result.describe(),
                )
                self.assertEqual(lib.entries_under(self.data_dir), [])

    def run_on_terminal(self, *args, env_extra=None):
        """Runs the binary with stdout and stderr on a pseudo-terminal; returns (code, output)."""
        primary, secondary = pty.openpty()
        env = self.base_env()
        env.pop("NO_COLOR")
        env["TERM"] = "xterm-256color"
        env.update(env_extra or {})
        process = subprocess.Popen(
            [self.binary, "--config", self.config_path, *args],
            env=env, cwd=self.cwd, stdin=subprocess.DEVNULL, stdout=secondary, stderr=secondary,
        )
        os.close(secondary)
        output = b""
        while True:
            ready, _, _ = select.select([primary], [], [], 60)
            if not ready:
                process.kill()
                break
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # EIO once the child has closed the terminal
                break
            if not chunk:
                break
            output += chunk
        os.close(primary)
        return process.wait(timeout=60), output.decode("utf-8", errors="replace")

    def test_colour_only_on_a_terminal_and_never_with_no_color(self):
        bucket = self.new_bucket()
        self.put_objects(bucket, lib.small_dataset())
        self.write_config(bucket)
        code, output = self.run_on_terminal("--dry-run")
        self.assertEqual(code, 0, output)
        self.assertIn("\x1b[", output, "no colour on a terminal")
        code, output = self.run_on_terminal("--dry-run", env_extra={"NO_COLOR": "1"})
        self.assertEqual(code, 0, output)
        self.assertIn("Sync Complete!", output)
        self.assertNotIn("\x1b[", output, "colour despite NO_COLOR")

    def test_no_colour_when_piped(self):
        bucket = self.new_bucket()
        self.put_objects(bucket, lib.small_dataset())
        self.write_config(bucket)
        env = self.base_env()
        env.pop("NO_COLOR")
        env["TERM"] = "xterm-256color"
        result = self.run_gsync("--dry-run", env=env)
        self.assertExit(result, 0)
        self.assertNotIn("\x1b[", result.output)

    def test_bucket_prefix_and_endpoint_options_override_the_config(self):
        bucket = self.new_bucket()
        objects = {
            "other_prefix/sentinel2/134_Arsuk/clipped/a.tif": b"a",
            "other_prefix/landsat/134_Arsuk/b.tif": b"b",
            key("sentinel2", "134_Arsuk/clipped/not_this_prefix.tif"): b"c",
        }
        self.put_objects(bucket, objects)
        # The config names a bucket that does not exist and an endpoint where nothing listens.
        self.write_config("gsync-no-such-bucket", endpoint_url="http://127.0.0.1:9")
        result = self.run_gsync(
            "--bucket", bucket, "--prefix", "other_prefix", "--endpoint-url", self.endpoint, "all"
        )
        self.assertExit(result, 0)
        self.assertIn(f"s3://{bucket}/other_prefix/sentinel2/", result.stdout)
        self.assertEqual(
            lib.files_under(self.data_dir),
            {
                os.path.join("other_prefix", "sentinel2", "134_Arsuk", "clipped", "a.tif"): b"a",
                os.path.join("other_prefix", "landsat", "134_Arsuk", "b.tif"): b"b",
            },
        )

    def test_data_dir_option_overrides_the_config(self):
        bucket = self.new_bucket()
        objects = lib.small_dataset()
        self.put_objects(bucket, objects)
        self.write_config(bucket)
        other = self.mkdir("other-data")
        result = self.run_gsync("--data-dir", other, "landsat")
        self.assertExit(result, 0)
        self.assertRegex(result.stdout, r"(?m)^Working in data directory: " + re.escape(other) + r"/?\s*$")
        self.assertEqual(lib.entries_under(self.data_dir), [])
        self.assertEqual(
            sorted(lib.files_under(other)),
            sorted(os.path.join(*k.split("/")) for k in objects if "/landsat/" in k),
        )


class ConfigFileTest(lib.GsyncTestCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.objects = lib.small_dataset()
        self.put_objects(self.bucket, self.objects)

    def test_shared_pipeline_config_is_read_past_other_sections(self):
        # Upper-case keys, comments, empty values (= unset: default prefix), ~ expansion.
        text = f"""# The pipeline's shared file
[REGIONS]
regions = 138_SermiitsiaqInTasermiut, 134_Arsuk
start_end_index =

[DATES]
date1 = 2025-08-01
date2 = 2025-08-10

[FLAGS]
download_flag = 1
post_processing_flag = 1

[PATHS]
# Base output directory on HPC
base_dir = {self.hpc_dir}
; local runs
LOCAL_BASE_DIR = ~/glacier-data

[SETTINGS]
cores = 1
memory = 60G
runtime = 15:00:00
satellite = sentinel2
dry_run = False
execution_mode = local

[S3]
Bucket = {self.bucket}
PREFIX =
Endpoint_URL = {self.endpoint}
region = us-east-1
profile =
"""
        os.makedirs(os.path.join(self.home, "glacier-data"))
        os.makedirs(os.path.dirname(self.config_path), exist_ok=True)
        with open(self.config_path, "w") as f:
            f.write(text)
        result = self.run_gsync("landsat")
        self.assertExit(result, 0)
        data = os.path.join(self.home, "glacier-data")
        self.assertRegex(result.stdout, r"(?m)^Working in data directory: " + re.escape(data) + r"/?\s*$")
        self.assertIn(f"s3://{self.bucket}/{PREFIX}/landsat/", result.stdout)
        self.assertEqual(
            sorted(lib.files_under(data)),
            sorted(os.path.join(*k.split("/")) for k in self.objects if "/landsat/" in k),
        )

    def test_configured_satellites_are_the_default(self):
        self.write_config(self.bucket, extra="\n[SYNC]\nsatellites = landsat\njobs = 2\n")
        result = self.run_gsync()
        self.assertExit(result, 0)
        self.assertIn("Syncing landsat data...", result.stdout)
        self.assertNotIn("Syncing sentinel2 data...", result.stdout)
        self.assertEqual(
            sorted(lib.files_under(self.data_dir)),
            sorted(os.path.join(*k.split("/")) for k in self.objects if "/landsat/" in k),
        )

    def test_parse_error_names_file_and_line(self):
        path = self.write_config(self.bucket)
        with open(path) as f:
            lines = f.read().splitlines()
        bad_line = len(lines) + 1
        with open(path, "a") as f:
            f.write("this line is neither a section nor a key\n")
        result = self.run_gsync()
        self.assertExit(result, 2)
        error = [l for l in result.stderr.splitlines() if l.startswith("Error:")]
        self.assertTrue(error, result.describe())
        self.assertIn(path, result.stderr)
        self.assertRegex(result.stderr, rf"\b{bad_line}\b", "the error does not name the line")
        self.assertEqual(lib.entries_under(self.data_dir), [])

    def test_missing_explicit_config_is_an_error(self):
        missing = os.path.join(self.tmp, "nope", "config.ini")
        result = self.run_gsync(config=missing)
        self.assertExit(result, 2)
        self.assertIn(missing, result.stderr)
        self.assertRegex(result.stderr, r"(?m)^Error: ")


class ConfigDiscoveryTest(lib.GsyncTestCase):
    """Discovery order: --config, $GLACIER_SYNC_CONFIG, executable dir up to the git root, cwd, ~/Github/..."""

    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.put_objects(self.bucket, {key("landsat", "134_Arsuk/a.tif"): b"a"})

    def isolated_binary(self, in_checkout=False):
        """A copy of the binary in a scratch folder, so the real checkout's config.ini (if
        any) cannot be found through the executable's directory."""
        root = self.mkdir("checkout" if in_checkout else "bin-only")
        if in_checkout:
            subprocess.run(["git", "init", "-q", root], check=True)
        build = self.mkdir(os.path.basename(root), "build")
        copy = os.path.join(build, "glacier-sync")
        shutil.copy2(self.binary, copy)
        return root, copy

    def reading_line(self, result):
        lines = [l for l in result.stdout.splitlines() if l.startswith("Reading configuration from:")]
        self.assertEqual(len(lines), 1, result.describe())
        self.assertEqual(result.stdout.splitlines()[0], lines[0], "it is not the first line")
        return lines[0].split(":", 1)[1].strip()

    def test_option_beats_environment_variable(self):
        env_config = self.write_config(self.bucket, path=os.path.join(self.tmp, "env", "config.ini"))
        option_config = self.write_config(self.bucket, path=os.path.join(self.tmp, "opt", "config.ini"))
        result = self.run_gsync("--dry-run", config=option_config, env_extra={"GLACIER_SYNC_CONFIG": env_config})
        self.assertExit(result, 0)
        self.assertEqual(self.reading_line(result), option_config)

    def test_environment_variable_is_used(self):
        env_config = self.write_config(self.bucket, path=os.path.join(self.tmp, "env", "config.ini"))
        # A config in the cwd must lose against the variable.
        self.write_config("gsync-wrong-bucket", path=os.path.join(self.cwd, "config.ini"))
        result = self.run_gsync("--dry-run", config=False, env_extra={"GLACIER_SYNC_CONFIG": env_config})
        self.assertExit(result, 0)
        self.assertEqual(self.reading_line(result), env_config)

    def test_checkout_config_found_through_a_symlink_in_a_data_dir(self):
        checkout, copy = self.isolated_binary(in_checkout=True)
        checkout_config = self.write_config(self.bucket, path=os.path.join(checkout, "config.ini"))
        link = os.path.join(self.data_dir, "glacier-sync")
        os.symlink(copy, link)
        # The cwd also has a config: the executable's checkout comes first.
        self.write_config("gsync-wrong-bucket", path=os.path.join(self.cwd, "config.ini"))
        result = self.run_gsync("landsat", config=False, binary=link)
        self.assertExit(result, 0)
        self.assertEqual(self.reading_line(result), checkout_config)
        self.assertTrue(os.path.isfile(self.local_path(key("landsat", "134_Arsuk/a.tif"))))

    def test_build_dir_config_beats_checkout_root(self):
        checkout, copy = self.isolated_binary(in_checkout=True)
        self.write_config("gsync-wrong-bucket", path=os.path.join(checkout, "config.ini"))
        build_config = self.write_config(self.bucket, path=os.path.join(checkout, "build", "config.ini"))
        result = self.run_gsync("--dry-run", config=False, binary=copy)
        self.assertExit(result, 0)
        self.assertEqual(self.reading_line(result), build_config)

    def test_search_stops_at_the_checkout_root(self):
        checkout, copy = self.isolated_binary(in_checkout=True)
        # Above the checkout's root: not part of the checkout, never searched.
        self.write_config("gsync-wrong-bucket", path=os.path.join(os.path.dirname(checkout), "config.ini"))
        cwd_config = self.write_config(self.bucket, path=os.path.join(self.cwd, "config.ini"))
        result = self.run_gsync("--dry-run", config=False, binary=copy)
        self.assertExit(result, 0)
        self.assertEqual(os.path.realpath(self.reading_line(result)), os.path.realpath(cwd_config))

    def test_current_directory(self):
        root, copy = self.isolated_binary()
        # Outside any checkout only the executable's own folder is searched, not its parents.
        self.write_config("gsync-wrong-bucket", path=os.path.join(root, "config.ini"))
        cwd_config = self.write_config(self.bucket, path=os.path.join(self.cwd, "config.ini"))
        self.write_config("gsync-wrong-bucket", path=os.path.join(self.home, "Github", "greenland-glacier-flow", "config.ini"))
        result = self.run_gsync("--dry-run", config=False, binary=copy)
        self.assertExit(result, 0)
        self.assertEqual(os.path.realpath(self.reading_line(result)), os.path.realpath(cwd_config))

    def test_home_github_checkout(self):
        _, copy = self.isolated_binary()
        home_config = self.write_config(
            self.bucket, path=os.path.join(self.home, "Github", "greenland-glacier-flow", "config.ini")
        )
        result = self.run_gsync("--dry-run", config=False, binary=copy)
        self.assertExit(result, 0)
        self.assertEqual(os.path.realpath(self.reading_line(result)), os.path.realpath(home_config))

    def test_not_found_lists_every_place_searched(self):
        _, copy = self.isolated_binary()
        result = self.run_gsync("--dry-run", config=False, binary=copy)
        self.assertExit(result, 2)
        self.assertRegex(result.stderr, r"(?m)^Error: ")
        self.assertIn(os.path.dirname(copy), result.stderr, "the executable's folder is not listed")
        self.assertIn(self.cwd, result.stderr, "the current directory is not listed")
        self.assertTrue(
            "~/Github/greenland-glacier-flow" in result.stderr
            or os.path.join(self.home, "Github", "greenland-glacier-flow") in result.stderr,
            f"~/Github/greenland-glacier-flow is not listed\n{result.describe()}",
        )
        self.assertNotIn("Syncing", result.stdout)


if __name__ == "__main__":
    lib.main()
