#pragma once

#include <string>

namespace gsync::s3 {

// An AWS key pair, plus the session token that temporary (STS) credentials carry.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty when the credentials are long-term
};

}  // namespace gsync::s3
