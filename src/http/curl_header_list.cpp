#include "http/curl_header_list.hpp"

#include "util/error.hpp"

namespace gsync::http {

void CurlHeaderList::append(const std::string& line) {
  curl_slist* grown = curl_slist_append(m_list, line.c_str());
  if (grown == nullptr) {
    throw Fatal("out of memory building request headers");
  }
  m_list = grown;
}

}  // namespace gsync::http
