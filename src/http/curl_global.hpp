#pragma once

namespace gsync::http {

// curl_global_init is not thread-safe and must run before any handle exists; every
// handle constructor calls this, and it initialises exactly once.
void ensure_curl_global_init();

}  // namespace gsync::http
