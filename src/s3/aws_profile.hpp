#pragma once

#include <functional>
#include <optional>
#include <string>

namespace gsync::s3 {

// One named profile merged from the AWS CLI's two shared files.
struct AwsProfile {
  std::optional<std::string> access_key_id, secret_access_key, session_token, region, endpoint_url,
      ca_bundle;
  // Where access_key_id came from, for --verbose: "shared credentials file PATH" or
  // "config file PATH"; empty when there is no key id. Never a secret.
  std::string credentials_origin;
  // A key such as role_arn, sso_session or credential_process found in a profile without
  // static keys: the AWS CLI would use it, glacier-sync cannot, so the error can say why.
  std::optional<std::string> unsupported_credential_key;
};

// Reads ~/.aws/config ("[profile NAME]", or "[default]") and ~/.aws/credentials ("[NAME]");
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE override the paths. The credentials file
// wins for a key set in both, as in botocore. endpoint_url is read from the profile and from
// an "s3 =" nested block (the nested one wins: it is the S3-specific setting).
// Missing files are fine (empty profile) unless the profile was named explicitly (--profile,
// config.ini, AWS_PROFILE) and is in neither file: then gsync::Fatal
// "AWS profile 'NAME' not found in ~/.aws/credentials or ~/.aws/config". A file that does not
// parse is Fatal with FILE:LINE.
AwsProfile load_aws_profile(const std::string& name, bool explicitly_named,
                            const std::function<std::optional<std::string>(const char*)>& getenv);

}  // namespace gsync::s3
