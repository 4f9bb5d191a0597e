#include "s3/credentials_chain.hpp"

#include "s3/aws_profile.hpp"
#include "util/error.hpp"

namespace gsync::s3 {
namespace {

using Getenv = std::function<std::optional<std::string>(const char*)>;

constexpr const char* k_default_region = "us-west-2";
constexpr const char* k_not_configured =
    "AWS credentials not configured. Run 'aws configure' or set AWS_ACCESS_KEY_ID and "
    "AWS_SECRET_ACCESS_KEY.";

// Every AWS tool treats an empty variable as unset.
std::optional<std::string> variable(const Getenv& getenv, const char* name) {
  auto value = getenv(name);
  if (value && value->empty()) {
    return std::nullopt;
  }
  return value;
}

template <typename T>
std::optional<T> first_of(std::initializer_list<std::optional<T>> candidates) {
  for (const auto& candidate : candidates) {
    if (candidate) {
      return candidate;
    }
  }
  return std::nullopt;
}

// Static keys from a profile, or a Fatal that says exactly what is missing.
Credentials profile_credentials(const AwsProfile& profile, const std::string& name,
                                const std::string& how_named) {
  if (profile.access_key_id && profile.secret_access_key) {
    return {*profile.access_key_id, *profile.secret_access_key, profile.session_token.value_or("")};
  }
  const auto where = "AWS profile '" + name + "'" + how_named;
  if (profile.access_key_id) {
    throw Fatal(where + " has aws_access_key_id but no aws_secret_access_key");
  }
  if (profile.secret_access_key) {
    throw Fatal(where + " has aws_secret_access_key but no aws_access_key_id");
  }
  if (profile.unsupported_credential_key) {
    throw Fatal(where + " gets credentials through " + *profile.unsupported_credential_key +
                ", which glacier-sync does not support; export them first with: eval \"$(aws "
                "configure export-credentials --profile " +
                name + " --format env)\"");
  }
  return {};
}

std::string source_name(const AwsProfile& profile, const std::string& name) {
  const bool from_credentials_file =
      profile.credentials_origin.rfind("shared credentials file", 0) == 0;
  return std::string(from_credentials_file ? "shared credentials file" : "config file") +
         " (profile " + name + ")";
}

}  // namespace

ResolvedAws resolve_aws(const std::optional<std::string>& profile_override,
                        const std::optional<std::string>& region_override,
                        const std::optional<std::string>& endpoint_override, const Getenv& getenv) {
  ResolvedAws resolved;
  AwsProfile profile;

  if (profile_override && !profile_override->empty()) {
    // A profile the user chose must not be silently replaced by stray environment keys.
    resolved.profile_name = *profile_override;
    profile = load_aws_profile(resolved.profile_name, true, getenv);
    resolved.credentials = profile_credentials(profile, resolved.profile_name, "");
    if (resolved.credentials.access_key_id.empty()) {
      throw Fatal(std::string(k_not_configured) + " Profile '" + resolved.profile_name +
                  "' has no aws_access_key_id (try: aws configure --profile " +
                  resolved.profile_name + ")");
    }
    resolved.credentials_source = source_name(profile, resolved.profile_name);
  } else {
    const auto env_profile = variable(getenv, "AWS_PROFILE");
    resolved.profile_name = env_profile.value_or("default");
    profile = load_aws_profile(resolved.profile_name, env_profile.has_value(), getenv);

    const auto key_id = variable(getenv, "AWS_ACCESS_KEY_ID");
    const auto secret = variable(getenv, "AWS_SECRET_ACCESS_KEY");
    if (key_id && !secret) {
      throw Fatal("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both");
    }
    if (secret && !key_id) {
      throw Fatal("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both");
    }
    if (key_id) {
      resolved.credentials = {
          *key_id, *secret,
          first_of({variable(getenv, "AWS_SESSION_TOKEN"), variable(getenv, "AWS_SECURITY_TOKEN")})
              .value_or("")};
      resolved.credentials_source = "environment";
    } else {
      const auto how_named = env_profile ? std::string(" (from AWS_PROFILE)") : std::string();
      resolved.credentials = profile_credentials(profile, resolved.profile_name, how_named);
      if (resolved.credentials.access_key_id.empty()) {
        throw Fatal(k_not_configured);
      }
      resolved.credentials_source = source_name(profile, resolved.profile_name);
    }
  }

  resolved.region = first_of({region_override, variable(getenv, "AWS_REGION"),
                              variable(getenv, "AWS_DEFAULT_REGION"), profile.region})
                        .value_or(k_default_region);
  resolved.endpoint_url = first_of({endpoint_override, variable(getenv, "AWS_ENDPOINT_URL_S3"),
                                    variable(getenv, "AWS_ENDPOINT_URL"), profile.endpoint_url});
  resolved.ca_bundle = first_of({variable(getenv, "AWS_CA_BUNDLE"), profile.ca_bundle});
  return resolved;
}

}  // namespace gsync::s3
