#include <filesystem>
#include <fstream>
#include <map>
#include <stdlib.h>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "s3/aws_profile.hpp"
#include "util/error.hpp"

namespace {

namespace fs = std::filesystem;
using gsync::s3::AwsProfile;
using gsync::s3::load_aws_profile;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class S3AwsProfile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "gsync-aws-profile-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_home = fs::canonical(pattern);
    fs::create_directories(m_home / ".aws");
    m_env["HOME"] = m_home.string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(m_home, ec);
  }

  void write(const fs::path& relative, std::string_view text) const {
    std::ofstream(m_home / relative) << text;
  }

  AwsProfile load(const std::string& name, bool explicitly_named = false) const {
    return load_aws_profile(name, explicitly_named, [this](const char* variable) {
      const auto found = m_env.find(variable);
      return found == m_env.end() ? std::nullopt : std::optional<std::string>(found->second);
    });
  }

  std::string fatal_message(const std::string& name, bool explicitly_named) const {
    try {
      load(name, explicitly_named);
    } catch (const gsync::Fatal& fatal) {
      EXPECT_EQ(fatal.code(), gsync::ExitCode::usage_or_setup);
      return fatal.what();
    }
    ADD_FAILURE() << "expected gsync::Fatal";
    return {};
  }

  fs::path m_home;
  std::map<std::string, std::string> m_env;
};

TEST_F(S3AwsProfile, MissingFilesGiveAnEmptyProfileWhenNotNamedExplicitly) {
  fs::remove_all(m_home / ".aws");
  const auto profile = load("default");
  EXPECT_EQ(profile.access_key_id, std::nullopt);
  EXPECT_EQ(profile.secret_access_key, std::nullopt);
  EXPECT_EQ(profile.region, std::nullopt);
  EXPECT_TRUE(profile.credentials_origin.empty());
  m_env.erase("HOME");
  EXPECT_EQ(load("default").access_key_id, std::nullopt);
}

TEST_F(S3AwsProfile, ExplicitProfileMissingFromBothFilesIsFatal) {
  write(".aws/credentials", "[default]\naws_access_key_id = AKIDDEFAULT\n");
  EXPECT_EQ(fatal_message("research", true),
            "AWS profile 'research' not found in ~/.aws/credentials or ~/.aws/config");
  fs::remove_all(m_home / ".aws");
  EXPECT_EQ(fatal_message("research", true),
            "AWS profile 'research' not found in ~/.aws/credentials or ~/.aws/config");
  EXPECT_EQ(load("research", false).access_key_id, std::nullopt);
}

TEST_F(S3AwsProfile, ReadsTheDefaultProfileFromBothFiles) {
  write(".aws/credentials",
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = secretdefault\n");
  write(".aws/config", "[default]\nregion = eu-west-1\noutput = json\n");
  const auto profile = load("default");
  EXPECT_EQ(profile.access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(profile.secret_access_key, "secretdefault");
  EXPECT_EQ(profile.session_token, std::nullopt);
  EXPECT_EQ(profile.region, "eu-west-1");
  EXPECT_EQ(profile.credentials_origin, "shared credentials file ~/.aws/credentials");
}

TEST_F(S3AwsProfile, NamedProfilesUseProfilePrefixInConfigOnly) {
  write(".aws/credentials",
        "[research]\naws_access_key_id = AKIDRESEARCH\naws_secret_access_key = s\n"
        "aws_session_token = token-research\n");
  write(".aws/config",
        "[research]\nregion = wrong-1\n[profile   research]\nregion = ca-central-1\n"
        "ca_bundle = /etc/ssl/research.pem\n");
  const auto profile = load("research", true);
  EXPECT_EQ(profile.access_key_id, "AKIDRESEARCH");
  EXPECT_EQ(profile.session_token, "token-research");
  EXPECT_EQ(profile.region, "ca-central-1");
  EXPECT_EQ(profile.ca_bundle, "/etc/ssl/research.pem");
}

TEST_F(S3AwsProfile, ProfileOnlyInConfigIsFoundAndNamesThatFile) {
  write(".aws/config",
        "[profile lab]\naws_access_key_id = AKIDLAB\naws_secret_access_key = s\nregion = x-1\n");
  const auto profile = load("lab", true);
  EXPECT_EQ(profile.access_key_id, "AKIDLAB");
  EXPECT_EQ(profile.credentials_origin, "config file ~/.aws/config");
}

TEST_F(S3AwsProfile, CredentialsFileWinsOverConfigFile) {
  write(".aws/credentials",
        "[default]\naws_access_key_id = FROMCREDS\naws_secret_access_key = credsecret\n"
        "region = cred-region-1\n");
  write(".aws/config",
        "[default]\naws_access_key_id = FROMCONFIG\naws_secret_access_key = configsecret\n"
        "aws_session_token = config-token\nregion = config-region-1\n");
  const auto profile = load("default");
  EXPECT_EQ(profile.access_key_id, "FROMCREDS");
  EXPECT_EQ(profile.secret_access_key, "credsecret");
  EXPECT_EQ(profile.session_token, "config-token");  // not in the credentials file
  EXPECT_EQ(profile.region, "cred-region-1");
}

TEST_F(S3AwsProfile, ProfileDefaultSectionWinsOverPlainDefault) {
  write(".aws/config", "[default]\nregion = plain-1\n[profile default]\nregion = prefixed-1\n");
  EXPECT_EQ(load("default").region, "prefixed-1");
}

TEST_F(S3AwsProfile, ReadsEndpointFromProfileAndNestedS3Block) {
  write(".aws/config",
        "[profile top]\nendpoint_url = http://top:1\n"
        "[profile nested]\nendpoint_url = http://top:1\ns3 =\n"
        "  addressing_style = path\n  endpoint_url = http://127.0.0.1:7480\n"
        "[profile only-nested]\ns3 =\n  Endpoint_URL = https://ceph.lab\n");
  EXPECT_EQ(load("top").endpoint_url, "http://top:1");
  EXPECT_EQ(load("nested").endpoint_url, "http://127.0.0.1:7480");
  EXPECT_EQ(load("only-nested").endpoint_url, "https://ceph.lab");
}

TEST_F(S3AwsProfile, EnvironmentVariablesMoveTheFiles) {
  fs::create_directories(m_home / "elsewhere");
  write("elsewhere/creds", "[default]\naws_access_key_id = MOVED\naws_secret_access_key = s\n");
  write("elsewhere/conf", "[default]\nregion = moved-1\n");
  write(".aws/credentials", "[default]\naws_access_key_id = HOMEKEY\n");
  m_env["AWS_SHARED_CREDENTIALS_FILE"] = (m_home / "elsewhere/creds").string();
  m_env["AWS_CONFIG_FILE"] = "~/elsewhere/conf";
  const auto profile = load("default");
  EXPECT_EQ(profile.access_key_id, "MOVED");
  EXPECT_EQ(profile.region, "moved-1");
  EXPECT_EQ(profile.credentials_origin,
            "shared credentials file " + (m_home / "elsewhere/creds").string());
  EXPECT_EQ(fatal_message("gone", true), "AWS profile 'gone' not found in " +
                                             (m_home / "elsewhere/creds").string() +
                                             " or ~/elsewhere/conf");
}

TEST_F(S3AwsProfile, ValuesAreReadRawAndKeysCaseInsensitively) {
  write(".aws/credentials",
        "[default]\nAWS_Access_Key_Id = AKID\naws_secret_access_key = ab%cd%(x)s\n");
  const auto profile = load("default");
  EXPECT_EQ(profile.access_key_id, "AKID");
  EXPECT_EQ(profile.secret_access_key, "ab%cd%(x)s");
}

TEST_F(S3AwsProfile, NotesCredentialSourcesItCannotUse) {
  write(".aws/config", "[profile sso]\nsso_session = lab\nregion = us-west-2\n");
  EXPECT_EQ(load("sso").unsupported_credential_key, "sso_session");
  write(".aws/credentials", "[sso]\naws_access_key_id = A\naws_secret_access_key = s\n");
  EXPECT_EQ(load("sso").unsupported_credential_key, std::nullopt);
}

TEST_F(S3AwsProfile, BrokenFileIsFatalWithFileAndLine) {
  write(".aws/credentials", "[default]\naws_access_key_id = A\n[default]\n");
  EXPECT_THAT(fatal_message("default", false),
              AllOf(StartsWith((m_home / ".aws/credentials").string() + ":3: "),
                    HasSubstr("duplicate section")));
}

}  // namespace
