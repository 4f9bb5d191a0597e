#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <pthread.h>
#include <set>
#include <signal.h>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/transfer_engine.hpp"
#include "loopback_http_server.hpp"

namespace {

using gsync::http::EngineOptions;
using gsync::http::HeaderList;
using gsync::http::HttpRequest;
using gsync::http::HttpResponse;
using gsync::http::Method;
using gsync::http::Transfer;
using gsync::http::TransferEngine;
using gsync::test::LoopbackHttpServer;
using gsync::test::LoopbackRequest;
using gsync::test::LoopbackResponse;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// What one transfer saw. It lives in the test, not in the transfer, because the engine
// destroys a transfer as soon as it is finished.
struct TransferLog {
  std::string body;
  std::size_t chunks = 0;
  std::vector<Clock::time_point> request_times;  // one per attempt: the try counter
  std::vector<Clock::time_point> complete_times;
  std::vector<HttpResponse> responses;
};

class ScriptedTransfer : public Transfer {
 public:
  using RequestHook = std::function<void()>;
  using BodyHook = std::function<bool(std::string_view)>;
  using CompleteHook = std::function<std::optional<milliseconds>(const HttpResponse&)>;

  ScriptedTransfer(HttpRequest request, TransferLog& log)
      : m_request(std::move(request)), m_log(log) {}

  ScriptedTransfer& on_request_do(RequestHook hook) {
    m_request_hook = std::move(hook);
    return *this;
  }
  ScriptedTransfer& on_body_do(BodyHook hook) {
    m_body_hook = std::move(hook);
    return *this;
  }
  ScriptedTransfer& on_complete_do(CompleteHook hook) {
    m_complete_hook = std::move(hook);
    return *this;
  }
  ScriptedTransfer& make_urgent() {
    m_urgent = true;
    return *this;
  }

  HttpRequest make_request() override {
    m_log.request_times.push_back(Clock::now());
    if (m_request_hook) {
      m_request_hook();
    }
    return m_request;
  }

  bool on_body(std::string_view chunk) override {
    ++m_log.chunks;
    m_log.body.append(chunk);
    return m_body_hook ? m_body_hook(chunk) : true;
  }

  std::optional<milliseconds> on_complete(HttpResponse&& response) override {
    m_log.complete_times.push_back(Clock::now());
    m_log.responses.push_back(std::move(response));
    return m_complete_hook ? m_complete_hook(m_log.responses.back()) : std::nullopt;
  }

  bool urgent() const override { return m_urgent; }

 private:
  HttpRequest m_request;
  TransferLog& m_log;
  RequestHook m_request_hook;
  BodyHook m_body_hook;
  CompleteHook m_complete_hook;
  bool m_urgent = false;
};

HttpRequest request(Method method, std::string url, HeaderList headers = {},
                    std::string body = {}) {
  return HttpRequest{method, std::move(url), std::move(headers), std::move(body)};
}

std::unique_ptr<ScriptedTransfer> get(const LoopbackHttpServer& server, std::string_view target,
                                      TransferLog& log) {
  return std::make_unique<ScriptedTransfer>(request(Method::get, server.url(target)), log);
}

// Bytes that differ from block to block, so lost, repeated or reordered chunks show.
std::string patterned_body(std::size_t size) {
  std::string body(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    body[i] = static_cast<char>((i ^ (i >> 8) ^ (i >> 16)) & 0xff);
  }
  return body;
}

std::vector<std::string> targets(const std::vector<LoopbackRequest>& requests) {
  std::vector<std::string> result;
  for (const auto& request : requests) {
    result.push_back(request.target);
  }
  return result;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

EngineOptions with_max_concurrent(std::size_t limit) {
  EngineOptions options;
  options.max_concurrent = limit;
  return options;
}

TEST(TransferEngine, GetStreamsSuccessBodyToOnBodyInChunks) {
  const std::string body = patterned_body(5 * 1024 * 1024);
  LoopbackHttpServer server([&body](const LoopbackRequest&) {
    return LoopbackResponse{200, {{"ETag", "\"abc\""}, {"X-Amz-Request-Id", "REQ1"}}, body};
  });
  TransferEngine engine(EngineOptions{});
  TransferLog log;
  engine.submit(get(server, "/bucket/big", log));
  engine.run();

  ASSERT_EQ(log.responses.size(), 1u);
  const HttpResponse& response = log.responses.front();
  EXPECT_FALSE(response.transport_failed()) << response.transport_error;
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.succeeded());
  EXPECT_EQ(response.headers, (HeaderList{{"etag", "\"abc\""},
                                          {"x-amz-request-id", "REQ1"},
                                          {"content-length", std::to_string(body.size())}}));
  EXPECT_TRUE(response.body.empty()) << "a 2xx body is streamed, not kept";
  EXPECT_GT(log.chunks, 1u);
  EXPECT_EQ(log.body.size(), body.size());
  EXPECT_TRUE(log.body == body) << "the chunks do not concatenate to the body";
}

TEST(TransferEngine, ErrorStatusBodyGoesToResponseNotOnBody) {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>";
  LoopbackHttpServer server([&xml](const LoopbackRequest&) {
    return LoopbackResponse{404, {{"Content-Type", "application/xml"}}, xml};
  });
  TransferEngine engine(EngineOptions{});
  TransferLog log;
  engine.submit(get(server, "/bucket/missing", log));
  engine.run();

  ASSERT_EQ(log.responses.size(), 1u);
  const HttpResponse& response = log.responses.front();
  EXPECT_FALSE(response.transport_failed()) << response.transport_error;
  EXPECT_FALSE(response.succeeded());
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, xml);
  EXPECT_EQ(response.header("content-type"), "application/xml");
  EXPECT_EQ(log.chunks, 0u);
  EXPECT_EQ(log.body, "");
}

TEST(TransferEngine, RunsAtMostMaxConcurrentAndReusesConnections) {
  // The delay keeps requests overlapping, so a missing limit would show at the server.
  LoopbackHttpServer server([](const LoopbackRequest& request) {
    return LoopbackResponse{200, {}, "body of " + request.target, milliseconds(20)};
  });
  TransferEngine engine(with_max_concurrent(8));
  constexpr std::size_t k_count = 50;
  std::vector<TransferLog> logs(k_count);
  std::size_t running = 0;
  std::size_t most_running = 0;
  for (std::size_t i = 0; i < k_count; ++i) {
    auto transfer = get(server, "/obj/" + std::to_string(i), logs[i]);
    transfer->on_request_do([&] { most_running = std::max(most_running, ++running); });
    transfer->on_complete_do([&](const HttpResponse&) {
      --running;
      return std::nullopt;
    });
    engine.submit(std::move(transfer));
  }
  engine.run();

  for (std::size_t i = 0; i < k_count; ++i) {
    ASSERT_EQ(logs[i].responses.size(), 1u) << i;
    EXPECT_TRUE(logs[i].responses.front().succeeded()) << logs[i].responses.front().transport_error;
    EXPECT_EQ(logs[i].body, "body of /obj/" + std::to_string(i));
  }
  EXPECT_EQ(server.requests().size(), k_count);
  EXPECT_EQ(most_running, 8u) << "the engine starts exactly max_concurrent transfers";
  EXPECT_LE(server.max_in_flight(), 8u);
  EXPECT_GE(server.max_in_flight(), 2u) << "transfers were not run concurrently";
  EXPECT_GE(server.connections_accepted(), 1u);
  EXPECT_LE(server.connections_accepted(), 8u) << "keep-alive connections were not reused";
}

TEST(TransferEngine, DelayFromOnCompleteRunsTheTransferAgainAfterIt) {
  std::atomic<int> hits{0};
  LoopbackHttpServer server([&hits](const LoopbackRequest&) {
    if (++hits <= 2) {
      return LoopbackResponse{500, {}, "<Error><Code>InternalError</Code></Error>"};
    }
    return LoopbackResponse{200, {}, "done"};
  });
  TransferEngine engine(EngineOptions{});
  constexpr milliseconds k_delay(150);
  TransferLog log;
  auto transfer = get(server, "/bucket/flaky", log);
  transfer->on_complete_do([&](const HttpResponse& response) {
    return response.succeeded() || log.responses.size() >= 5 ? std::nullopt
                                                             : std::optional<milliseconds>(k_delay);
  });
  engine.submit(std::move(transfer));
  engine.run();

  ASSERT_EQ(log.request_times.size(), 3u) << "make_request is called once per attempt";
  ASSERT_EQ(log.responses.size(), 3u);
  EXPECT_EQ(log.responses[0].status, 500);
  EXPECT_EQ(log.responses[0].body, "<Error><Code>InternalError</Code></Error>");
  EXPECT_EQ(log.responses[1].status, 500);
  EXPECT_EQ(log.responses[2].status, 200);
  EXPECT_EQ(log.body, "done") << "only the successful attempt's body reaches on_body";
  for (std::size_t attempt = 1; attempt < 3; ++attempt) {
    const auto waited = log.request_times[attempt] - log.complete_times[attempt - 1];
    EXPECT_GE(waited, k_delay) << "attempt " << attempt << " started early";
    // Generous for a loaded machine, but far below the engine's 1 s idle poll.
    EXPECT_LT(waited, k_delay + milliseconds(600)) << "attempt " << attempt << " started late";
  }
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(TransferEngine, OnCompleteMaySubmitNewTransfers) {
  LoopbackHttpServer server([](const LoopbackRequest& request) {
    return LoopbackResponse{200, {}, request.target};
  });
  TransferEngine engine(EngineOptions{});
  constexpr int k_links = 10;
  std::vector<TransferLog> logs(k_links);
  std::function<void(int)> submit_link = [&](int index) {
    auto transfer = get(server, "/chain/" + std::to_string(index), logs[index]);
    transfer->on_complete_do([&submit_link, index](const HttpResponse&) {
      if (index + 1 < k_links) {
        submit_link(index + 1);
      }
      return std::nullopt;
    });
    engine.submit(std::move(transfer));
  };
  submit_link(0);
  engine.run();

  std::vector<std::string> expected;
  for (int i = 0; i < k_links; ++i) {
    expected.push_back("/chain/" + std::to_string(i));
    ASSERT_EQ(logs[i].responses.size(), 1u) << i;
    EXPECT_TRUE(logs[i].responses.front().succeeded());
    EXPECT_EQ(logs[i].body, expected.back());
  }
  EXPECT_EQ(targets(server.requests()), expected);
}

TEST(TransferEngine, OnBodyFalseAbortsOnlyThatTransferWithWriteError) {
  const std::string big = patterned_body(1024 * 1024);
  LoopbackHttpServer server([&big](const LoopbackRequest& request) {
    return LoopbackResponse{200, {}, request.target == "/abort" ? big : "ok " + request.target};
  });
  TransferEngine engine(EngineOptions{});
  TransferLog aborted;
  auto transfer = get(server, "/abort", aborted);
  transfer->on_body_do([](std::string_view) { return false; });
  engine.submit(std::move(transfer));
  std::vector<TransferLog> others(3);
  for (std::size_t i = 0; i < others.size(); ++i) {
    engine.submit(get(server, "/other/" + std::to_string(i), others[i]));
  }
  engine.run();

  ASSERT_EQ(aborted.responses.size(), 1u);
  EXPECT_EQ(aborted.request_times.size(), 1u);
  EXPECT_TRUE(aborted.responses.front().transport_failed());
  EXPECT_EQ(aborted.responses.front().transport_code, CURLE_WRITE_ERROR);
  EXPECT_EQ(aborted.chunks, 1u) << "on_body was called again after it refused a chunk";
  for (std::size_t i = 0; i < others.size(); ++i) {
    ASSERT_EQ(others[i].responses.size(), 1u) << i;
    EXPECT_TRUE(others[i].responses.front().succeeded()) << others[i].responses[0].transport_error;
    EXPECT_EQ(others[i].body, "ok /other/" + std::to_string(i));
  }
}

TEST(TransferEngine, ConnectionClosedMidBodyIsATransportError) {
  LoopbackHttpServer server([](const LoopbackRequest&) {
    LoopbackResponse response{200, {}, std::string(100000, 'x')};
    response.close_after_body_bytes = 1000;
    return response;
  });
  TransferEngine engine(EngineOptions{});
  TransferLog log;
  engine.submit(get(server, "/bucket/cut", log));
  engine.run();

  ASSERT_EQ(log.responses.size(), 1u);
  const HttpResponse& response = log.responses.front();
  EXPECT_TRUE(response.transport_failed());
  EXPECT_FALSE(response.succeeded());
  EXPECT_EQ(response.transport_code, CURLE_PARTIAL_FILE);
  EXPECT_FALSE(response.transport_error.empty());
  EXPECT_LE(log.body.size(), 1000u);
}

TEST(TransferEngine, StalledTransferFailsAfterTheLowSpeedTime) {
  LoopbackHttpServer server([](const LoopbackRequest&) {
    return LoopbackResponse{200, {}, "late", milliseconds(5000)};
  });
  EngineOptions options;
  options.low_speed_time = std::chrono::seconds(1);
  TransferEngine engine(options);
  TransferLog log;
  engine.submit(get(server, "/stalled", log));
  const auto started = Clock::now();
  engine.run();
  const auto took = Clock::now() - started;

  ASSERT_EQ(log.responses.size(), 1u);
  EXPECT_EQ(log.responses.front().transport_code, CURLE_OPERATION_TIMEDOUT);
  EXPECT_GE(took, milliseconds(900));
  EXPECT_LT(took, milliseconds(4000)) << "the stall limit was not applied";
}

TEST(TransferEngine, StopFromOnCompleteAbandonsRunningAndSkipsQueued) {
  LoopbackHttpServer server([](const LoopbackRequest& request) {
    LoopbackResponse response{200, {}, "body"};
    if (request.target.starts_with("/slow")) {
      response.delay = milliseconds(5000);  // cut short by the server's destructor
    }
    return response;
  });
  TransferEngine engine(with_max_concurrent(3));
  TransferLog fast;
  auto first = get(server, "/fast", fast);
  first->on_complete_do([&engine](const HttpResponse&) {
    engine.stop();
    return std::nullopt;
  });
  engine.submit(std::move(first));
  std::vector<TransferLog> slow(2);
  std::vector<TransferLog> queued(2);
  for (std::size_t i = 0; i < slow.size(); ++i) {
    engine.submit(get(server, "/slow/" + std::to_string(i), slow[i]));
  }
  for (std::size_t i = 0; i < queued.size(); ++i) {
    engine.submit(get(server, "/queued/" + std::to_string(i), queued[i]));
  }
  const auto started = Clock::now();
  engine.run();
  const auto took = Clock::now() - started;

  EXPECT_LT(took, milliseconds(3000)) << "run() waited for the running transfers";
  EXPECT_TRUE(engine.stopping());
  ASSERT_EQ(fast.responses.size(), 1u);
  EXPECT_TRUE(fast.responses.front().succeeded());
  for (const auto& log : slow) {
    EXPECT_EQ(log.request_times.size(), 1u);
    ASSERT_EQ(log.responses.size(), 1u) << "an abandoned transfer is told exactly once";
    EXPECT_TRUE(log.responses.front().transport_failed());
    EXPECT_FALSE(log.responses.front().transport_error.empty());
  }
  for (const auto& log : queued) {
    EXPECT_TRUE(log.request_times.empty()) << "a queued transfer was started";
    EXPECT_TRUE(log.responses.empty());
  }
  for (const auto& target : targets(server.requests())) {
    EXPECT_FALSE(target.starts_with("/queued")) << target;
  }
  EXPECT_EQ(engine.active_count(), 0u);
}

TEST(TransferEngine, StopFromMakeRequestStartsNothingMore) {
  // For example a signer finding the credentials gone ends the run while transfers start.
  LoopbackHttpServer server([](const LoopbackRequest&) { return LoopbackResponse{200, {}, "x"}; });
  TransferEngine engine(with_max_concurrent(4));
  std::vector<TransferLog> logs(3);
  auto first = get(server, "/first", logs[0]);
  first->on_request_do([&engine] { engine.stop(); });
  engine.submit(std::move(first));
  engine.submit(get(server, "/second", logs[1]));
  engine.submit(get(server, "/third", logs[2]));
  engine.run();

  EXPECT_EQ(logs[0].responses.size(), 1u) << "the started transfer is told exactly once";
  for (std::size_t i = 1; i < logs.size(); ++i) {
    EXPECT_TRUE(logs[i].request_times.empty()) << "transfer " << i << " started after stop()";
    EXPECT_TRUE(logs[i].responses.empty());
  }
  for (const auto& target : targets(server.requests())) {
    EXPECT_EQ(target, "/first");
  }
}

TransferEngine* g_signalled_engine = nullptr;

extern "C" void stop_engine_on_signal(int) {
  g_signalled_engine->stop();
  g_signalled_engine->wake();
}

TEST(TransferEngine, StopAndWakeFromASignalHandlerEndRun) {
  // The SIGINT/SIGTERM path: the handler runs on the engine's thread while it waits.
  LoopbackHttpServer server([](const LoopbackRequest&) {
    return LoopbackResponse{200, {}, "late", milliseconds(5000)};
  });
  TransferEngine engine(EngineOptions{});
  TransferLog log;
  engine.submit(get(server, "/slow", log));
  g_signalled_engine = &engine;
  struct sigaction action {};
  struct sigaction previous {};
  action.sa_handler = stop_engine_on_signal;
  sigemptyset(&action.sa_mask);
  ASSERT_EQ(sigaction(SIGUSR1, &action, &previous), 0);
  const pthread_t engine_thread = pthread_self();
  std::thread signaller([engine_thread] {
    std::this_thread::sleep_for(milliseconds(200));
    pthread_kill(engine_thread, SIGUSR1);
  });
  const auto started = Clock::now();
  engine.run();
  const auto took = Clock::now() - started;
  signaller.join();
  sigaction(SIGUSR1, &previous, nullptr);
  g_signalled_engine = nullptr;

  EXPECT_GE(took, milliseconds(150)) << "run() returned before the signal";
  EXPECT_LT(took, milliseconds(2500)) << "run() did not stop on the signal";
  ASSERT_EQ(log.responses.size(), 1u);
  EXPECT_TRUE(log.responses.front().transport_failed());
}

TEST(TransferEngine, IdleHookMayFeedMoreWork) {
  LoopbackHttpServer server([](const LoopbackRequest&) { return LoopbackResponse{200, {}, "x"}; });
  TransferEngine engine(EngineOptions{});
  std::vector<TransferLog> logs(5);
  std::size_t fed = 0;
  engine.set_idle_hook([&] {
    if (engine.active_count() == 0 && engine.queued_count() == 0 && fed + 1 < logs.size()) {
      engine.submit(get(server, "/fed/" + std::to_string(fed), logs[fed + 1]));
      ++fed;
    }
  });
  engine.submit(get(server, "/first", logs[0]));
  engine.run();

  EXPECT_EQ(targets(server.requests()),
            (std::vector<std::string>{"/first", "/fed/0", "/fed/1", "/fed/2", "/fed/3"}));
  for (const auto& log : logs) {
    ASSERT_EQ(log.responses.size(), 1u);
    EXPECT_TRUE(log.responses.front().succeeded());
  }
}

TEST(TransferEngine, UnreachableServerIsATransportError) {
  // A port that was just free: nothing listens there.
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length), 0);
  ::close(probe);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/x";

  TransferEngine engine(EngineOptions{});
  TransferLog log;
  engine.submit(std::make_unique<ScriptedTransfer>(request(Method::get, url), log));
  engine.run();

  ASSERT_EQ(log.responses.size(), 1u);
  EXPECT_TRUE(log.responses.front().transport_failed());
  EXPECT_EQ(log.responses.front().transport_code, CURLE_COULDNT_CONNECT);
  EXPECT_EQ(log.responses.front().status, 0);
}

TEST(TransferEngine, ErrorBodyIsCappedAtOneMebibyte) {
  const std::string body = patterned_body((1 << 20) + 5000);
  LoopbackHttpServer server([&body](const LoopbackRequest&) {
    return LoopbackResponse{503, {}, body};
  });
  TransferEngine engine(EngineOptions{});
  TransferLog log;
  engine.submit(get(server, "/busy", log));
  engine.run();

  ASSERT_EQ(log.responses.size(), 1u);
  const HttpResponse& response = log.responses.front();
  EXPECT_FALSE(response.transport_failed()) << response.transport_error;
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body.size(), std::size_t{1} << 20);
  EXPECT_TRUE(response.body == body.substr(0, 1 << 20));
  EXPECT_EQ(log.chunks, 0u);
}

TEST(TransferEngine, UrgentTransferStartsBeforeQueuedOnes) {
  LoopbackHttpServer server([](const LoopbackRequest&) { return LoopbackResponse{200, {}, "x"}; });
  TransferEngine engine(with_max_concurrent(1));
  std::vector<TransferLog> logs(4);
  for (std::size_t i = 0; i < 3; ++i) {
    engine.submit(get(server, "/normal/" + std::to_string(i), logs[i]));
  }
  auto urgent = get(server, "/urgent", logs[3]);
  urgent->make_urgent();
  engine.submit(std::move(urgent));
  // Nothing runs before run(), so the urgent transfer is at the head of the queue.
  engine.run();

  EXPECT_EQ(targets(server.requests()),
            (std::vector<std::string>{"/urgent", "/normal/0", "/normal/1", "/normal/2"}));
  EXPECT_EQ(server.max_in_flight(), 1u);
  EXPECT_LT(logs[3].request_times.front(), logs[0].request_times.front());
}

TEST(TransferEngine, UrgentTransferSubmittedWhileRunningJumpsTheQueue) {
  LoopbackHttpServer server([](const LoopbackRequest&) { return LoopbackResponse{200, {}, "x"}; });
  TransferEngine engine(with_max_concurrent(1));
  std::vector<TransferLog> logs(4);
  TransferLog urgent_log;
  auto first = get(server, "/normal/0", logs[0]);
  first->on_complete_do([&](const HttpResponse&) {
    auto listing = get(server, "/listing", urgent_log);
    listing->make_urgent();
    engine.submit(std::move(listing));
    return std::nullopt;
  });
  engine.submit(std::move(first));
  for (std::size_t i = 1; i < logs.size(); ++i) {
    engine.submit(get(server, "/normal/" + std::to_string(i), logs[i]));
  }
  engine.run();

  EXPECT_EQ(
      targets(server.requests()),
      (std::vector<std::string>{"/normal/0", "/listing", "/normal/1", "/normal/2", "/normal/3"}));
}

TEST(TransferEngine, SendsExactlyTheGivenHeadersWithoutExpect) {
  LoopbackHttpServer server([](const LoopbackRequest&) { return LoopbackResponse{200, {}, "x"}; });
  TransferEngine engine(EngineOptions{});
  const HeaderList headers = {
      {"Host", "my-bucket.s3.eu-west-1.example.com"},
      {"x-amz-date", "20240102T030405Z"},
      {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKID/20240102/eu-west-1/s3/aws4_request, "
       "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=abc"},
  };
  TransferLog log;
  engine.submit(std::make_unique<ScriptedTransfer>(
      request(Method::get, server.url("/key?x-id=GetObject"), headers), log));
  engine.run();

  ASSERT_EQ(log.responses.size(), 1u);
  EXPECT_TRUE(log.responses.front().succeeded()) << log.responses.front().transport_error;
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const LoopbackRequest& received = requests.front();
  EXPECT_EQ(received.method, "GET");
  EXPECT_EQ(received.target, "/key?x-id=GetObject");
  std::set<std::string> given;
  for (const auto& [name, value] : headers) {
    EXPECT_EQ(received.header_values(name), std::vector<std::string>{value}) << name;
    given.insert(lower(name));
  }
  for (const auto& [name, value] : received.headers) {
    // libcurl's "Accept: */*" is harmless: SigV4 checks only the headers it signed.
    EXPECT_TRUE(given.contains(lower(name)) || lower(name) == "accept")
        << "unexpected header " << name << ": " << value;
  }
  EXPECT_FALSE(received.header("Expect"));
}

TEST(TransferEngine, PutSendsItsBodyWithoutExpectOrContentType) {
  // Large enough that libcurl would add "Expect: 100-continue" on its own.
  const std::string body = patterned_body(2 * 1024 * 1024);
  LoopbackHttpServer server([](const LoopbackRequest&) { return LoopbackResponse{200, {}, ""}; });
  TransferEngine engine(EngineOptions{});
  TransferLog log;
  engine.submit(
      std::make_unique<ScriptedTransfer>(request(Method::put, server.url("/bucket/upload"),
                                                 {{"x-amz-meta-mtime", "1700000000"}}, body),
                                         log));
  engine.run();

  ASSERT_EQ(log.responses.size(), 1u);
  EXPECT_TRUE(log.responses.front().succeeded()) << log.responses.front().transport_error;
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const LoopbackRequest& received = requests.front();
  EXPECT_EQ(received.method, "PUT");
  EXPECT_EQ(received.header("Content-Length"), std::to_string(body.size()));
  EXPECT_EQ(received.header("x-amz-meta-mtime"), "1700000000");
  EXPECT_FALSE(received.header("Expect"));
  EXPECT_FALSE(received.header("Content-Type"));
  EXPECT_FALSE(received.header("Transfer-Encoding"));
  EXPECT_TRUE(received.body == body) << "the uploaded body differs";
}

TEST(TransferEngine, PutKeepsAGivenContentType) {
  // The engine blanks libcurl's own Content-Type; one the caller signed must still go out.
  LoopbackHttpServer server([](const LoopbackRequest&) { return LoopbackResponse{200, {}, ""}; });
  TransferEngine engine(EngineOptions{});
  TransferLog log;
  engine.submit(
      std::make_unique<ScriptedTransfer>(request(Method::put, server.url("/bucket/notes.txt"),
                                                 {{"Content-Type", "text/plain"}}, "abc"),
                                         log));
  engine.run();

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests.front().header_values("Content-Type"), std::vector<std::string>{"text/plain"});
  EXPECT_EQ(requests.front().body, "abc");
}

TEST(TransferEngine, HeadReturnsStatusAndHeadersWithoutBody) {
  LoopbackHttpServer server([](const LoopbackRequest&) {
    return LoopbackResponse{
        200, {{"Last-Modified", "Tue, 02 Jan 2024 03:04:05 GMT"}}, "0123456789"};
  });
  TransferEngine engine(EngineOptions{});
  TransferLog log;
  engine.submit(
      std::make_unique<ScriptedTransfer>(request(Method::head, server.url("/bucket/key")), log));
  engine.run();

  ASSERT_EQ(log.responses.size(), 1u);
  const HttpResponse& response = log.responses.front();
  EXPECT_TRUE(response.succeeded()) << response.transport_error;
  EXPECT_EQ(response.header("content-length"), "10");
  EXPECT_EQ(response.header("last-modified"), "Tue, 02 Jan 2024 03:04:05 GMT");
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(log.chunks, 0u);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests.front().method, "HEAD");
}

TEST(TransferEngine, ReusedHandlesDoNotCarryOptionsOver) {
  // One slot: every request runs on the same easy handle, after curl_easy_reset.
  LoopbackHttpServer server([](const LoopbackRequest& request) {
    return LoopbackResponse{200, {}, "reply to " + request.method};
  });
  TransferEngine engine(with_max_concurrent(1));
  const std::vector<Method> methods = {Method::head, Method::get, Method::put, Method::delete_,
                                       Method::get};
  std::vector<TransferLog> logs(methods.size());
  for (std::size_t i = 0; i < methods.size(); ++i) {
    const std::string body = methods[i] == Method::put ? "uploaded" : "";
    engine.submit(std::make_unique<ScriptedTransfer>(
        request(methods[i], server.url("/r/" + std::to_string(i)), {}, body), logs[i]));
  }
  engine.run();

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), methods.size());
  std::vector<std::string> seen;
  for (const auto& received : requests) {
    seen.push_back(received.method);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"HEAD", "GET", "PUT", "DELETE", "GET"}));
  EXPECT_EQ(requests[2].body, "uploaded");
  EXPECT_EQ(requests[4].body, "") << "the PUT's body leaked into the next GET";
  EXPECT_EQ(requests[4].header("Content-Length").value_or("0"), "0");
  EXPECT_EQ(logs[0].body, "");
  EXPECT_EQ(logs[1].body, "reply to GET") << "the HEAD's no-body option leaked into a GET";
  EXPECT_EQ(logs[4].body, "reply to GET");
  EXPECT_EQ(server.connections_accepted(), 1u);
}

}  // namespace

TEST(TransferEngine, SendsHeadersWithEmptyValues) {
  // SigV4 may sign a header whose value is empty; dropping it would break the signature.
  LoopbackHttpServer server([](const LoopbackRequest&) { return LoopbackResponse{200, {}, "x"}; });
  TransferEngine engine(EngineOptions{});
  TransferLog log;
  engine.submit(std::make_unique<ScriptedTransfer>(
      request(Method::get, server.url("/key"), {{"x-amz-meta-empty", ""}}), log));
  engine.run();

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests.front().header_values("x-amz-meta-empty"), std::vector<std::string>{""});
}

TEST(TransferEngine, ZeroConcurrencyMeansOneNotAHang) {
  LoopbackHttpServer server([](const LoopbackRequest&) { return LoopbackResponse{200, {}, "x"}; });
  EngineOptions options;
  options.max_concurrent = 0;
  TransferEngine engine(options);
  TransferLog log;
  for (int i = 0; i < 3; ++i) {
    engine.submit(
        std::make_unique<ScriptedTransfer>(request(Method::get, server.url("/k"), {}), log));
  }
  engine.run();
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(server.max_in_flight(), 1u);
}
