"""Environment detection (local / HPC), the data directory, and git isolation."""

import os
import re
import subprocess

import gsync_testlib as lib
from gsync_testlib import key


class EnvironmentTest(lib.GsyncTestCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.object_key = key("landsat", "134_Arsuk/20250802_LC09_ortho.tif")
        self.put_objects(self.bucket, {self.object_key: b"landsat scene"})

    def assertEnvironment(self, result, name, data_dir):
        self.assertExit(result, 0)
        self.assertRegex(result.stdout, rf"(?m)^Environment: {name}\b", result.describe())
        self.assertRegex(
            result.stdout, r"(?m)^Working in data directory: " + re.escape(data_dir) + r"/?\s*$", result.describe()
        )
        self.assertTrue(os.path.isfile(self.local_path(self.object_key, data_dir)), result.describe())

    def test_auto_without_sbatch_is_local(self):
        self.write_config(self.bucket)
        result = self.run_gsync("landsat")
        self.assertEnvironment(result, "local", self.data_dir)
        self.assertEqual(lib.entries_under(self.hpc_dir), [])

    def test_auto_with_sbatch_on_path_is_hpc_and_uses_base_dir(self):
        self.write_config(self.bucket)
        result = self.run_gsync("landsat", path_dirs=[self.fake_sbatch_dir()])
        self.assertEnvironment(result, "HPC", self.hpc_dir)
        self.assertRegex(result.stdout, r"(?m)^Environment: HPC\s*\(.+\)", "no reason given for HPC")
        self.assertEqual(lib.entries_under(self.data_dir), [])

    def test_env_option_overrides_detection(self):
        self.write_config(self.bucket)
        result = self.run_gsync("landsat", "--env", "local", path_dirs=[self.fake_sbatch_dir()])
        self.assertEnvironment(result, "local", self.data_dir)
        self.assertEqual(lib.entries_under(self.hpc_dir), [])

    def test_execution_mode_setting_and_its_override(self):
        self.write_config(self.bucket, extra="")
        with open(self.config_path) as f:
            text = f.read()
        with open(self.config_path, "w") as f:
            f.write(text.replace("[SETTINGS]\n", "[SETTINGS]\nexecution_mode = hpc\n"))
        result = self.run_gsync("landsat")
        self.assertEnvironment(result, "HPC", self.hpc_dir)
        self.assertEqual(lib.entries_under(self.data_dir), [])

        result = self.run_gsync("landsat", "--env", "local")
        self.assertEnvironment(result, "local", self.data_dir)

    def test_invalid_env_value_is_a_usage_error(self):
        self.write_config(self.bucket)
        result = self.run_gsync("landsat", "--env", "cloud")
        self.assertExit(result, 2)
        self.assertEqual(lib.entries_under(self.data_dir), [])

    def test_missing_data_dir_is_refused_with_a_mkdir_hint(self):
        missing = os.path.join(self.tmp, "not-created", "data")
        self.write_config(self.bucket, local_base_dir=missing)
        result = self.run_gsync("landsat")
        self.assertExit(result, 2)
        self.assertIn(f"Error: Cannot cd to {missing}", result.output)
        self.assertIn(f"mkdir -p {missing}", result.output)
        self.assertFalse(os.path.exists(missing), "the missing data dir was created")

    def test_data_dir_inside_a_git_work_tree_is_refused(self):
        repo = self.mkdir("repo")
        subprocess.run(["git", "init", "-q", repo], check=True)
        for data_dir in (repo, self.mkdir("repo", "nested", "data")):
            with self.subTest(data_dir=data_dir):
                self.write_config(self.bucket, local_base_dir=data_dir)
                result = self.run_gsync("landsat")
                self.assertExit(result, 2)
                self.assertRegex(result.stderr, r"(?m)^Error: .*git", result.describe())
                self.assertEqual(
                    [p for p in lib.entries_under(repo) if not p.startswith(".git") and p not in ("nested", os.path.join("nested", "data"))],
                    [],
                    "data was written into a git work tree",
                )

    def test_data_dir_inside_a_git_work_tree_via_option_is_refused(self):
        repo = self.mkdir("repo2")
        subprocess.run(["git", "init", "-q", repo], check=True)
        self.write_config(self.bucket)
        result = self.run_gsync("landsat", "--data-dir", repo)
        self.assertExit(result, 2)
        self.assertEqual([p for p in lib.entries_under(repo) if not p.startswith(".git")], [])


if __name__ == "__main__":
    lib.main()
