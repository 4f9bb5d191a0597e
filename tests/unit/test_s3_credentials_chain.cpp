#include <filesystem>
#include <fstream>
#include <map>
#include <stdlib.h>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "s3/credentials_chain.hpp"
#include "util/error.hpp"

namespace {

namespace fs = std::filesystem;
using gsync::s3::resolve_aws;
using gsync::s3::ResolvedAws;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* k_not_configured =
    "AWS credentials not configured. Run 'aws configure' or set AWS_ACCESS_KEY_ID and "
    "AWS_SECRET_ACCESS_KEY.";

// Secrets used below; no message or source text may ever contain them.
constexpr const char* k_env_secret = "envSECRETwJalrXUtnFEMI";
constexpr const char* k_file_secret = "fileSECRETbPxRfiCYEXAMPLE";
constexpr const char* k_token = "sessionTOKENIQoJb3JpZ2lu";

class S3CredentialsChain : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "gsync-credentials-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_home = fs::canonical(pattern);
    fs::create_directories(m_home / ".aws");
    m_env["HOME"] = m_home.string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(m_home, ec);
  }

  void write(const char* name, std::string_view text) const {
    std::ofstream(m_home / ".aws" / name) << text;
  }

  // A default profile and a "research" profile, both with keys, plus config settings.
  void write_shared_files() const {
    write("credentials", std::string("[default]\naws_access_key_id = AKIDDEFAULTFILE\n") +
                             "aws_secret_access_key = " + k_file_secret + "\n" +
                             "[research]\naws_access_key_id = AKIDRESEARCH\n" +
                             "aws_secret_access_key = research-secret\n" +
                             "aws_session_token = " + k_token + "\n");
    write("config",
          "[default]\nregion = eu-west-1\nendpoint_url = http://profile-endpoint:1\n"
          "ca_bundle = /etc/profile.pem\n[profile research]\nregion = ca-central-1\n"
          "[profile empty]\nregion = ap-south-1\n");
  }

  void set_env_keys() {
    m_env["AWS_ACCESS_KEY_ID"] = "AKIDENV";
    m_env["AWS_SECRET_ACCESS_KEY"] = k_env_secret;
  }

  ResolvedAws resolve(const std::optional<std::string>& profile = std::nullopt,
                      const std::optional<std::string>& region = std::nullopt,
                      const std::optional<std::string>& endpoint = std::nullopt) const {
    return resolve_aws(profile, region, endpoint, [this](const char* variable) {
      const auto found = m_env.find(variable);
      return found == m_env.end() ? std::nullopt : std::optional<std::string>(found->second);
    });
  }

  std::string fatal_message(const std::optional<std::string>& profile = std::nullopt) const {
    try {
      resolve(profile);
    } catch (const gsync::Fatal& fatal) {
      const std::string message = fatal.what();
      EXPECT_EQ(fatal.code(), gsync::ExitCode::usage_or_setup);
      EXPECT_THAT(message, Not(StartsWith("Error")));
      for (const auto* secret : {k_env_secret, k_file_secret, k_token}) {
        EXPECT_THAT(message, Not(HasSubstr(secret)));
      }
      return message;
    }
    ADD_FAILURE() << "expected gsync::Fatal";
    return {};
  }

  fs::path m_home;
  std::map<std::string, std::string> m_env;
};

TEST_F(S3CredentialsChain, EnvironmentKeysWinOverTheDefaultProfile) {
  write_shared_files();
  set_env_keys();
  const auto resolved = resolve();
  EXPECT_EQ(resolved.credentials.access_key_id, "AKIDENV");
  EXPECT_EQ(resolved.credentials.secret_access_key, k_env_secret);
  EXPECT_EQ(resolved.credentials.session_token, "");
  EXPECT_EQ(resolved.credentials_source, "environment");
  EXPECT_EQ(resolved.profile_name, "default");
  // The profile still supplies what the environment does not.
  EXPECT_EQ(resolved.region, "eu-west-1");
}

TEST_F(S3CredentialsChain, EnvironmentSessionTokenIsCarried) {
  set_env_keys();
  m_env["AWS_SESSION_TOKEN"] = k_token;
  const auto resolved = resolve();
  EXPECT_EQ(resolved.credentials.session_token, k_token);
  EXPECT_THAT(resolved.credentials_source, Not(HasSubstr(k_token)));
}

TEST_F(S3CredentialsChain, DefaultProfileFromTheSharedFiles) {
  write_shared_files();
  const auto resolved = resolve();
  EXPECT_EQ(resolved.credentials.access_key_id, "AKIDDEFAULTFILE");
  EXPECT_EQ(resolved.credentials.secret_access_key, k_file_secret);
  EXPECT_EQ(resolved.credentials_source, "shared credentials file (profile default)");
  EXPECT_EQ(resolved.profile_name, "default");
}

TEST_F(S3CredentialsChain, AwsProfileSelectsTheProfileWithItsSessionToken) {
  write_shared_files();
  m_env["AWS_PROFILE"] = "research";
  const auto resolved = resolve();
  EXPECT_EQ(resolved.credentials.access_key_id, "AKIDRESEARCH");
  EXPECT_EQ(resolved.credentials.session_token, k_token);
  EXPECT_EQ(resolved.profile_name, "research");
  EXPECT_EQ(resolved.region, "ca-central-1");
  EXPECT_EQ(resolved.credentials_source, "shared credentials file (profile research)");
  // Environment keys still come before the AWS_PROFILE profile, as in the AWS CLI.
  set_env_keys();
  EXPECT_EQ(resolve().credentials.access_key_id, "AKIDENV");
}

TEST_F(S3CredentialsChain, AwsProfileNamingAMissingProfileIsFatal) {
  write_shared_files();
  m_env["AWS_PROFILE"] = "nobody";
  EXPECT_THAT(fatal_message(), HasSubstr("AWS profile 'nobody' not found"));
}

TEST_F(S3CredentialsChain, ProfileOverrideUsesOnlyThatProfile) {
  write_shared_files();
  set_env_keys();
  m_env["AWS_PROFILE"] = "default";
  const auto resolved = resolve(std::string("research"));
  EXPECT_EQ(resolved.credentials.access_key_id, "AKIDRESEARCH");
  EXPECT_EQ(resolved.credentials.secret_access_key, "research-secret");
  EXPECT_EQ(resolved.profile_name, "research");
  EXPECT_EQ(resolved.credentials_source, "shared credentials file (profile research)");
}

TEST_F(S3CredentialsChain, ExplicitMissingProfileIsFatal) {
  write_shared_files();
  set_env_keys();  // must not rescue a profile the user named
  EXPECT_EQ(fatal_message(std::string("typo")),
            "AWS profile 'typo' not found in ~/.aws/credentials or ~/.aws/config");
}

TEST_F(S3CredentialsChain, ExplicitProfileWithoutKeysIsFatal) {
  write_shared_files();
  set_env_keys();
  EXPECT_THAT(fatal_message(std::string("empty")),
              AllOf(StartsWith(k_not_configured), HasSubstr("'empty'")));
}

TEST_F(S3CredentialsChain, NoCredentialsAnywhereIsFatal) {
  EXPECT_EQ(fatal_message(), k_not_configured);
  write("config", "[default]\nregion = eu-west-1\n");
  EXPECT_EQ(fatal_message(), k_not_configured);
  m_env.erase("HOME");
  EXPECT_EQ(fatal_message(), k_not_configured);
}

TEST_F(S3CredentialsChain, EmptyVariablesCountAsUnset) {
  m_env["AWS_ACCESS_KEY_ID"] = "";
  m_env["AWS_SECRET_ACCESS_KEY"] = "";
  m_env["AWS_PROFILE"] = "";
  EXPECT_EQ(fatal_message(), k_not_configured);
}

TEST_F(S3CredentialsChain, HalfAKeyPairNamesWhatIsMissing) {
  m_env["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  EXPECT_THAT(fatal_message(), HasSubstr("AWS_SECRET_ACCESS_KEY is not"));
  m_env.erase("AWS_ACCESS_KEY_ID");
  m_env["AWS_SECRET_ACCESS_KEY"] = k_env_secret;
  EXPECT_THAT(fatal_message(), HasSubstr("AWS_ACCESS_KEY_ID is not"));

  m_env.erase("AWS_SECRET_ACCESS_KEY");
  write("credentials", "[default]\naws_access_key_id = AKIDONLY\n");
  EXPECT_THAT(fatal_message(),
              AllOf(HasSubstr("'default'"), HasSubstr("no aws_secret_access_key")));
  write("credentials", std::string("[default]\naws_secret_access_key = ") + k_file_secret + "\n");
  EXPECT_THAT(fatal_message(), HasSubstr("no aws_access_key_id"));
}

TEST_F(S3CredentialsChain, UnsupportedProfileKindIsExplained) {
  write("config", "[profile sso]\nsso_session = lab\n");
  EXPECT_THAT(fatal_message(std::string("sso")),
              AllOf(HasSubstr("sso_session"), HasSubstr("export-credentials --profile sso")));
}

TEST_F(S3CredentialsChain, RegionPrecedence) {
  write_shared_files();
  m_env["AWS_REGION"] = "env-region-1";
  m_env["AWS_DEFAULT_REGION"] = "env-default-region-1";
  EXPECT_EQ(resolve(std::nullopt, std::string("override-1")).region, "override-1");
  EXPECT_EQ(resolve().region, "env-region-1");
  m_env.erase("AWS_REGION");
  EXPECT_EQ(resolve().region, "env-default-region-1");
  m_env.erase("AWS_DEFAULT_REGION");
  EXPECT_EQ(resolve().region, "eu-west-1");
  write("config", "[default]\noutput = json\n");
  EXPECT_EQ(resolve().region, "us-west-2");
}

TEST_F(S3CredentialsChain, EndpointPrecedence) {
  write_shared_files();
  m_env["AWS_ENDPOINT_URL_S3"] = "http://env-s3:1";
  m_env["AWS_ENDPOINT_URL"] = "http://env-all:1";
  EXPECT_EQ(resolve(std::nullopt, std::nullopt, std::string("http://override:1")).endpoint_url,
            "http://override:1");
  EXPECT_EQ(resolve().endpoint_url, "http://env-s3:1");
  m_env.erase("AWS_ENDPOINT_URL_S3");
  EXPECT_EQ(resolve().endpoint_url, "http://env-all:1");
  m_env.erase("AWS_ENDPOINT_URL");
  EXPECT_EQ(resolve().endpoint_url, "http://profile-endpoint:1");
  EXPECT_EQ(resolve(std::string("research")).endpoint_url, std::nullopt);
}

TEST_F(S3CredentialsChain, CaBundlePrecedence) {
  write_shared_files();
  EXPECT_EQ(resolve().ca_bundle, "/etc/profile.pem");
  m_env["AWS_CA_BUNDLE"] = "/etc/env.pem";
  EXPECT_EQ(resolve().ca_bundle, "/etc/env.pem");
  EXPECT_EQ(resolve(std::string("research")).ca_bundle, "/etc/env.pem");
  m_env.erase("AWS_CA_BUNDLE");
  EXPECT_EQ(resolve(std::string("research")).ca_bundle, std::nullopt);
}

TEST_F(S3CredentialsChain, SourceDescriptionsNeverHoldSecrets) {
  write_shared_files();
  write("config", std::string("[profile cfg]\naws_access_key_id = AKIDCFG\n") +
                      "aws_secret_access_key = " + k_file_secret +
                      "\naws_session_token = " + k_token + "\n");
  for (const auto& profile : {std::optional<std::string>(), std::optional<std::string>("research"),
                              std::optional<std::string>("cfg")}) {
    const auto resolved = resolve(profile);
    for (const auto* secret : {k_env_secret, k_file_secret, k_token, "research-secret"}) {
      EXPECT_THAT(resolved.credentials_source, Not(HasSubstr(secret)));
    }
  }
  EXPECT_EQ(resolve(std::string("cfg")).credentials_source, "config file (profile cfg)");
  set_env_keys();
  m_env["AWS_SESSION_TOKEN"] = k_token;
  EXPECT_EQ(resolve().credentials_source, "environment");
}

}  // namespace
