"""How each tool is invoked: one command line and one environment per (tool, case).

Every tool gets a clean environment (no user config, no ~/.aws, no AWS_CA_BUNDLE:
the gateway speaks plain http) with only the gateway's keys, and syncs
s3://BUCKET/PREFIX/sentinel2/ into DEST/PREFIX/sentinel2/, the layout glacier-sync
writes, so that one verifier checks every tool.
"""

import os
import shlex

import datasets as ds

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
RCLONE_FLAGS = ["--transfers", "64", "--checkers", "64"]


class Context:
    """What every command needs: the gateway, the binaries, a scratch home."""

    def __init__(self, gateway_env, gsync_binary, work_dir):
        self.endpoint = gateway_env["GSYNC_TEST_ENDPOINT"]
        self.access_key = gateway_env["AWS_ACCESS_KEY_ID"]
        self.secret_key = gateway_env["AWS_SECRET_ACCESS_KEY"]
        self.aws = gateway_env.get("GSYNC_AWS_V2") or "/usr/bin/aws"
        self.gsync = gsync_binary
        self.home = os.path.join(work_dir, "home")
        self.conf_dir = os.path.join(work_dir, "conf")
        os.makedirs(self.home, exist_ok=True)
        os.makedirs(self.conf_dir, exist_ok=True)
        host = self.endpoint.split("://", 1)[1]
        with open(os.path.join(self.conf_dir, "s3cmd.cfg"), "w") as f:
            f.write(
                "[default]\n"
                f"access_key = {self.access_key}\n"
                f"secret_key = {self.secret_key}\n"
                f"host_base = {host}\n"
                f"host_bucket = {host}\n"
                "bucket_location = us-east-1\n"
                "use_https = False\n"
                "signature_v2 = False\n"
            )
        open(os.path.join(self.conf_dir, "rclone.conf"), "w").close()

    def base_env(self):
        return {"PATH": PATH, "HOME": self.home, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TMPDIR": "/tmp"}

    def aws_env(self):
        env = self.base_env()
        env.update({
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_PAGER": "",
        })
        return env

    def gsync_config(self, bucket):
        path = os.path.join(self.conf_dir, f"gsync-{bucket}.ini")
        with open(path, "w") as f:
            f.write(
                "[PATHS]\nlocal_base_dir = /nonexistent\nbase_dir = /nonexistent\n\n"
                "[SETTINGS]\nexecution_mode = local\n\n"
                f"[S3]\nbucket = {bucket}\nprefix = {ds.PREFIX}\n"
                f"endpoint_url = {self.endpoint}\nregion = us-east-1\n"
            )
        return path


# The tools each case runs, in the order of the table. "rclone" in (d) and (e) means
# `--size-only` (the reference; without it rclone HEADs every object for its
# mtime metadata); "rclone-fl" adds --fast-list (one recursive listing stream).
TOOLS = {
    "a": ["glacier-sync", "rclone", "rclone-fl", "aws", "s3cmd"],
    "b": ["glacier-sync", "rclone", "aws", "s3cmd"],
    "c": ["glacier-sync", "curl", "rclone", "aws", "s3cmd"],
    "d": ["glacier-sync", "rclone", "rclone-fl", "aws", "s3cmd"],
    "e": ["glacier-sync", "rclone", "rclone-fl", "aws", "s3cmd"],
}

LABELS = {
    "glacier-sync": "glacier-sync",
    "curl": "curl (1 stream)",
    "rclone": "rclone",
    "rclone-fl": "rclone --fast-list",
    "aws": "aws s3 sync",
    "s3cmd": "s3cmd sync",
}


def label(tool, case):
    text = LABELS[tool]
    if tool.startswith("rclone") and case in ("d", "e"):
        text += " --size-only"
    return text


def command(ctx, tool, case, bucket, dest, objects=None):
    """(argv, env) that syncs the case's bucket into dest."""
    remote_root = f"{ds.PREFIX}/{ds.SATELLITE}"
    local_root = os.path.join(dest, ds.PREFIX, ds.SATELLITE)
    if tool == "glacier-sync":
        env = ctx.base_env()
        env.update({"AWS_ACCESS_KEY_ID": ctx.access_key, "AWS_SECRET_ACCESS_KEY": ctx.secret_key})
        argv = [ctx.gsync, "--config", ctx.gsync_config(bucket), "--data-dir", dest, ds.SATELLITE]
        return argv, env
    if tool == "aws":
        argv = [ctx.aws, "--endpoint-url", ctx.endpoint, "s3", "sync",
                f"s3://{bucket}/{remote_root}/", local_root + "/"]
        return argv, ctx.aws_env()
    if tool.startswith("rclone"):
        env = ctx.base_env()
        env.update({
            "RCLONE_CONFIG": os.path.join(ctx.conf_dir, "rclone.conf"),
            "RCLONE_CONFIG_BENCH_TYPE": "s3",
            "RCLONE_CONFIG_BENCH_PROVIDER": "Ceph",
            "RCLONE_CONFIG_BENCH_ENDPOINT": ctx.endpoint,
            "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": ctx.access_key,
            "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": ctx.secret_key,
            "RCLONE_CONFIG_BENCH_REGION": "us-east-1",
        })
        argv = ["rclone", "copy", f"bench:{bucket}/{remote_root}", local_root, *RCLONE_FLAGS]
        if case in ("d", "e"):
            argv.append("--size-only")
        if tool == "rclone-fl":
            argv.append("--fast-list")
        return argv, env
    if tool == "s3cmd":
        argv = ["s3cmd", "-c", os.path.join(ctx.conf_dir, "s3cmd.cfg"), "sync",
                f"s3://{bucket}/{remote_root}/", local_root + "/"]
        return argv, ctx.base_env()
    if tool == "curl":
        # The physical reference: one stream per object, one object after the other.
        steps = []
        for key, _ in objects:
            url = f"{ctx.endpoint}/{bucket}/{key}"
            target = os.path.join(dest, *key.split("/"))
            steps.append(" ".join(shlex.quote(a) for a in [
                "curl", "-sS", "--fail", "--create-dirs", "-o", target,
                "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", f"{ctx.access_key}:{ctx.secret_key}",
                "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", url]))
        return ["/bin/sh", "-c", " && ".join(steps)], ctx.base_env()
    raise ValueError(tool)
