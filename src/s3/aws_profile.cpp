#include "s3/aws_profile.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "util/error.hpp"
#include "util/ini_file.hpp"

namespace gsync::s3 {
namespace {

namespace fs = std::filesystem;
using Getenv = std::function<std::optional<std::string>(const char*)>;

constexpr std::string_view k_whitespace = " \t\r\n\f\v";

// Keys with which a profile gets credentials some other way than static keys.
constexpr std::array<std::string_view, 7> k_unsupported_credential_keys = {
    "role_arn",          "credential_process",     "sso_session", "sso_start_url", "source_profile",
    "credential_source", "web_identity_token_file"};

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(k_whitespace);
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(k_whitespace);
  return std::string(text.substr(first, last - first + 1));
}

std::optional<std::string> non_empty(std::optional<std::string> value) {
  if (value && trim(*value).empty()) {
    return std::nullopt;
  }
  return value;
}

// One of the two shared files: where it is, how to name it in messages, and its contents.
struct SharedFile {
  std::string display;
  std::optional<util::IniFile> ini;
  std::optional<std::string> section;  // the profile's section, when present
};

SharedFile open_shared_file(const char* override_variable, const char* file_name,
                            const Getenv& getenv) {
  SharedFile file;
  fs::path path;
  const auto home = non_empty(getenv("HOME"));
  if (const auto overridden = non_empty(getenv(override_variable))) {
    file.display = *overridden;
    // The AWS CLI expands '~' in these variables, so users write them that way.
    if (home && (*overridden == "~" || overridden->rfind("~/", 0) == 0)) {
      path = fs::path(*home) / overridden->substr(std::min<std::size_t>(2, overridden->size()));
    } else {
      path = *overridden;
    }
  } else {
    file.display = std::string("~/.aws/") + file_name;
    if (!home) {
      return file;
    }
    path = fs::path(*home) / ".aws" / file_name;
  }
  std::error_code ec;
  if (fs::exists(path, ec)) {
    file.ini = util::IniFile::load(path);
  }
  return file;
}

// botocore takes "[profile NAME]" (any blanks between) and, for the default profile only,
// plain "[default]"; "[profile default]" wins over "[default]".
std::optional<std::string> config_section(const util::IniFile& ini, const std::string& name) {
  for (const auto& section : ini.section_names()) {
    if (section.rfind("profile", 0) == 0 && section.size() > 7 &&
        k_whitespace.find(section[7]) != std::string_view::npos &&
        trim(section.substr(7)) == name) {
      return section;
    }
  }
  if (name == "default" && ini.has_section("default")) {
    return std::string("default");
  }
  return std::nullopt;
}

std::optional<std::string> read(const SharedFile& file, std::string_view key) {
  if (!file.ini || !file.section) {
    return std::nullopt;
  }
  // Raw, as botocore reads them: a secret may hold '%', which is no interpolation.
  const auto value = file.ini->get_raw(*file.section, key);
  return value ? non_empty(trim(*value)) : std::nullopt;
}

// "s3 =" followed by indented "key = value" lines: the S3-specific settings of a profile.
std::optional<std::string> nested_s3_value(const SharedFile& file, std::string_view wanted) {
  const auto block = read(file, "s3");
  if (!block) {
    return std::nullopt;
  }
  std::string_view rest = *block;
  while (!rest.empty()) {
    const auto end = std::min(rest.find('\n'), rest.size());
    const auto line = rest.substr(0, end);
    rest.remove_prefix(std::min(end + 1, rest.size()));
    const auto equals = line.find('=');
    if (equals == std::string_view::npos) {
      continue;
    }
    auto key = trim(line.substr(0, equals));
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) {
      return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    if (key == wanted) {
      return non_empty(trim(line.substr(equals + 1)));
    }
  }
  return std::nullopt;
}

}  // namespace

AwsProfile load_aws_profile(const std::string& name, bool explicitly_named, const Getenv& getenv) {
  auto credentials = open_shared_file("AWS_SHARED_CREDENTIALS_FILE", "credentials", getenv);
  auto config = open_shared_file("AWS_CONFIG_FILE", "config", getenv);
  if (credentials.ini && credentials.ini->has_section(name)) {
    credentials.section = name;
  }
  if (config.ini) {
    config.section = config_section(*config.ini, name);
  }
  if (!credentials.section && !config.section) {
    if (explicitly_named) {
      throw Fatal("AWS profile '" + name + "' not found in " + credentials.display + " or " +
                  config.display);
    }
    return {};
  }

  // The credentials file wins for every key set in both, as botocore merges them.
  const auto merged = [&](std::string_view key) {
    auto value = read(credentials, key);
    return value ? value : read(config, key);
  };
  AwsProfile profile;
  profile.access_key_id = merged("aws_access_key_id");
  profile.secret_access_key = merged("aws_secret_access_key");
  profile.session_token = merged("aws_session_token");
  profile.region = merged("region");
  profile.ca_bundle = merged("ca_bundle");
  profile.endpoint_url = nested_s3_value(credentials, "endpoint_url");
  if (!profile.endpoint_url) {
    profile.endpoint_url = nested_s3_value(config, "endpoint_url");
  }
  if (!profile.endpoint_url) {
    profile.endpoint_url = merged("endpoint_url");
  }

  if (read(credentials, "aws_access_key_id")) {
    profile.credentials_origin = "shared credentials file " + credentials.display;
  } else if (profile.access_key_id) {
    profile.credentials_origin = "config file " + config.display;
  } else {
    for (const auto key : k_unsupported_credential_keys) {
      if (merged(key)) {
        profile.unsupported_credential_key = std::string(key);
        break;
      }
    }
  }
  return profile;
}

}  // namespace gsync::s3
