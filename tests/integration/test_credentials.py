"""Credentials and endpoint/region discovery, access denied, and secrets never printed."""

import os
import re
import ssl
import subprocess

import gsync_testlib as lib
from gsync_testlib import PREFIX, key


class CredentialsTest(lib.GsyncTestCase):
    def setUp(self):
        super().setUp()
        self.bucket = self.new_bucket()
        self.object_key = key("landsat", "134_Arsuk/scene.tif")
        self.put_objects(self.bucket, {self.object_key: b"scene"})
        self.write_config(self.bucket)

    def assertSynced(self, result):
        self.assertExit(result, 0)
        with open(self.local_path(self.object_key), "rb") as f:
            self.assertEqual(f.read(), b"scene")

    def write_home_file(self, relative, text):
        path = os.path.join(self.home, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_no_credentials_is_an_error_with_a_hint(self):
        result = self.run_gsync("landsat", credentials=False)
        self.assertExit(result, 2)
        self.assertIn("Error: AWS credentials not configured", result.output)
        self.assertIn("aws configure", result.output)
        self.assertEqual(lib.entries_under(self.data_dir), [])

    def test_environment_variables(self):
        self.assertSynced(self.run_gsync("landsat"))

    def test_shared_credentials_file_default_profile(self):
        self.write_home_file(
            ".aws/credentials",
            f"[default]\naws_access_key_id = {self.access_key}\naws_secret_access_key = {self.secret_key}\n",
        )
        self.assertSynced(self.run_gsync("landsat", credentials=False))

    def test_profile_option_and_aws_profile_variable(self):
        self.write_home_file(
            ".aws/credentials",
            "[default]\naws_access_key_id = WRONGKEY\naws_secret_access_key = wrong\n\n"
            f"[glacier]\naws_access_key_id = {self.access_key}\naws_secret_access_key = {self.secret_key}\n",
        )
        self.assertSynced(self.run_gsync("landsat", "--profile", "glacier", credentials=False))
        os.remove(self.local_path(self.object_key))
        self.assertSynced(self.run_gsync("landsat", credentials=False, env_extra={"AWS_PROFILE": "glacier"}))

    def test_profile_from_config_file(self):
        self.write_home_file(
            ".aws/config",
            f"[profile research]\naws_access_key_id = {self.access_key}\n"
            f"aws_secret_access_key = {self.secret_key}\nregion = us-east-1\n",
        )
        self.assertSynced(self.run_gsync("landsat", "--profile", "research", credentials=False))

    def test_files_named_by_environment_variables(self):
        credentials = os.path.join(self.tmp, "elsewhere", "creds")
        config = os.path.join(self.tmp, "elsewhere", "conf")
        os.makedirs(os.path.dirname(credentials))
        with open(credentials, "w") as f:
            f.write(f"[lab]\naws_access_key_id = {self.access_key}\naws_secret_access_key = {self.secret_key}\n")
        with open(config, "w") as f:
            f.write("[profile lab]\nregion = us-east-1\n")
        result = self.run_gsync(
            "landsat",
            credentials=False,
            env_extra={"AWS_SHARED_CREDENTIALS_FILE": credentials, "AWS_CONFIG_FILE": config, "AWS_PROFILE": "lab"},
        )
        self.assertSynced(result)

    def test_endpoint_from_environment(self):
        for variable in ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"):
            with self.subTest(variable=variable):
                self.write_config(self.bucket, endpoint_url=None)
                if os.path.exists(self.local_path(self.object_key)):
                    os.remove(self.local_path(self.object_key))
                self.assertSynced(self.run_gsync("landsat", env_extra={variable: self.endpoint}))

    def test_session_token_is_sent_and_signed(self):
        proxy = self.start_proxy()
        # The gateway has no STS; the proxy answers for it and records what was sent.
        proxy.fail_all(403, "InvalidAccessKeyId")
        self.run_gsync("landsat", "--endpoint-url", proxy.endpoint, env_extra={"AWS_SESSION_TOKEN": "session-token-xyz"})
        requests = proxy.all_requests()
        self.assertTrue(requests, "no request reached the proxy")
        for request in requests:
            self.assertEqual(request.headers.get("x-amz-security-token"), "session-token-xyz")
            signed = re.search(r"SignedHeaders=([^,\s]+)", request.headers.get("authorization", ""))
            self.assertIsNotNone(signed)
            self.assertIn("x-amz-security-token", signed.group(1).split(";"))

    def test_region_sources(self):
        cases = [
            ({"AWS_REGION": "eu-central-1"}, [], None, "eu-central-1"),
            ({"AWS_DEFAULT_REGION": "ap-south-1"}, [], None, "ap-south-1"),
            ({}, ["--region", "ca-central-1"], None, "ca-central-1"),
            ({}, [], "sa-east-1", "sa-east-1"),
            ({}, [], None, "us-west-2"),  # the documented default
        ]
        for env_extra, args, config_region, expected in cases:
            with self.subTest(env=env_extra, args=args, config=config_region):
                proxy = self.start_proxy()
                self.write_config(self.bucket, region=config_region, endpoint_url=proxy.endpoint)
                if os.path.exists(self.local_path(self.object_key)):
                    os.remove(self.local_path(self.object_key))
                result = self.run_gsync("landsat", *args, env_extra=env_extra)
                self.assertSynced(result)
                regions = {r.signed_region for r in proxy.all_requests()}
                self.assertEqual(regions, {expected}, result.describe())

    def test_ca_bundle_for_an_https_endpoint(self):
        cert = os.path.join(self.tmp, "tls", "cert.pem")
        private_key = os.path.join(self.tmp, "tls", "key.pem")
        os.makedirs(os.path.dirname(cert))
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", private_key, "-out", cert],
            check=True, capture_output=True,
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, private_key)
        proxy = self.start_proxy(tls_context=context)
        self.assertTrue(proxy.endpoint.startswith("https://127.0.0.1:"))
        self.write_config(self.bucket, endpoint_url=proxy.endpoint)

        # A self-signed certificate is refused unless AWS_CA_BUNDLE names it.
        result = self.run_gsync("landsat")
        self.assertNotEqual(result.code, 0, result.describe())
        self.assertFalse(os.path.exists(self.local_path(self.object_key)))
        self.assertEqual([r for r in proxy.all_requests()], [], "a request went through an untrusted TLS connection")

        self.assertSynced(self.run_gsync("landsat", env_extra={"AWS_CA_BUNDLE": cert}))
        self.assertTrue(proxy.object_gets(self.object_key), "the download did not go through the HTTPS endpoint")

    def test_access_denied_names_bucket_and_prefix(self):
        proxy = self.start_proxy()
        proxy.fail_all(403, "AccessDenied")
        result = self.run_gsync("landsat", "--endpoint-url", proxy.endpoint)
        self.assertNotEqual(result.code, 0)
        self.assertIn(result.code, (1, 2), result.describe())
        self.assertRegex(result.stderr, r"(?i)access denied", result.describe())
        self.assertIn(self.bucket, result.stderr)
        self.assertIn(PREFIX, result.stderr)
        self.assertFalse(os.path.exists(self.local_path(self.object_key)))

    def test_secrets_never_printed_even_verbose(self):
        token = "SessionTokenSecretValue123456789"
        result = self.run_gsync("landsat", "--verbose", "--dry-run")
        self.assertExit(result, 0)
        self.assertNotIn(self.secret_key, result.output)
        # A wrong secret fails the signature: the error paths must not print it either.
        wrong = "WrongSecretKeyThatMustNotBePrinted00000"
        result = self.run_gsync(
            "landsat", "--verbose", env_extra={"AWS_SECRET_ACCESS_KEY": wrong, "AWS_SESSION_TOKEN": token}
        )
        self.assertNotEqual(result.code, 0, result.describe())
        self.assertNotIn(wrong, result.output)
        self.assertNotIn(token, result.output)
        # Secrets from a credentials file either.
        self.write_home_file(
            ".aws/credentials",
            f"[default]\naws_access_key_id = {self.access_key}\naws_secret_access_key = {self.secret_key}\n",
        )
        result = self.run_gsync("landsat", "--verbose", credentials=False)
        self.assertSynced(result)
        self.assertNotIn(self.secret_key, result.output)


if __name__ == "__main__":
    lib.main()
