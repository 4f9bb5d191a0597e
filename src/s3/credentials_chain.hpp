#pragma once

#include <functional>
#include <optional>
#include <string>

#include "s3/credentials.hpp"

namespace gsync::s3 {

// Everything needed to talk to S3, found the way the AWS CLI finds it.
struct ResolvedAws {
  Credentials credentials;
  std::string region;
  std::optional<std::string> endpoint_url;
  std::optional<std::string> ca_bundle;
  std::string profile_name;
  // Where the keys came from, for --verbose: "environment",
  // "shared credentials file (profile NAME)", "config file (profile NAME)". Never a secret.
  std::string credentials_source;
};

// Credentials: a profile_override (--profile or config.ini) uses that profile ONLY; otherwise
// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), then the profile named by
// AWS_PROFILE or "default".
// Region: region_override > AWS_REGION > AWS_DEFAULT_REGION > profile region > "us-west-2".
// Endpoint: endpoint_override > AWS_ENDPOINT_URL_S3 > AWS_ENDPOINT_URL > profile > none.
// CA bundle: AWS_CA_BUNDLE > profile ca_bundle. Empty variables count as unset.
// Throws gsync::Fatal when no credentials are found or only half a key pair is; messages
// name what is missing and never contain a secret.
ResolvedAws resolve_aws(const std::optional<std::string>& profile_override,
                        const std::optional<std::string>& region_override,
                        const std::optional<std::string>& endpoint_override,
                        const std::function<std::optional<std::string>(const char*)>& getenv);

}  // namespace gsync::s3
