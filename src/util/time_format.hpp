#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gsync::util {

using SystemTime = std::chrono::system_clock::time_point;

// All of these are UTC; sub-second parts are dropped when formatting.
std::string format_amz_date(SystemTime t);    // "20150830T123600Z" (SigV4 X-Amz-Date)
std::string format_date_stamp(SystemTime t);  // "20150830" (SigV4 credential scope)

// "2019-10-12T17:50:30.000Z", also without the fraction or with a "+02:00"-style offset;
// keeps the fraction (S3 LastModified has milliseconds). nullopt on anything else.
std::optional<SystemTime> parse_iso8601(std::string_view text);
// IMF-fixdate, the only form servers may send: "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<SystemTime> parse_http_date(std::string_view text);
// "20150830T123600Z".
std::optional<SystemTime> parse_amz_date(std::string_view text);

}  // namespace gsync::util
