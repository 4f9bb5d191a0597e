#include <gtest/gtest.h>

#include "http/retry_policy.hpp"

using gsync::http::RetryPolicy;
using std::chrono::milliseconds;

TEST(RetryPolicy, CountsTheFirstAttempt) {
  RetryPolicy policy;
  policy.max_attempts = 3;
  EXPECT_TRUE(policy.may_retry(1));
  EXPECT_TRUE(policy.may_retry(2));
  EXPECT_FALSE(policy.may_retry(3));
}

TEST(RetryPolicy, BackoffCeilingDoublesUpToTheCap) {
  RetryPolicy policy;
  policy.base_delay = milliseconds(100);
  policy.max_delay = milliseconds(1000);
  // A draw just under 1 shows the ceiling for each attempt.
  EXPECT_EQ(policy.delay_after(1, 0.999999, std::nullopt), milliseconds(99));
  EXPECT_EQ(policy.delay_after(2, 0.999999, std::nullopt), milliseconds(199));
  EXPECT_EQ(policy.delay_after(3, 0.999999, std::nullopt), milliseconds(399));
  EXPECT_EQ(policy.delay_after(10, 0.999999, std::nullopt), milliseconds(999));
  EXPECT_EQ(policy.delay_after(1000, 0.5, std::nullopt), milliseconds(500));
}

TEST(RetryPolicy, FullJitterCanBeZero) {
  RetryPolicy policy;
  EXPECT_EQ(policy.delay_after(4, 0.0, std::nullopt), milliseconds(0));
}

TEST(RetryPolicy, ServerRetryAfterWinsWhenLongerButIsCapped) {
  RetryPolicy policy;
  policy.base_delay = milliseconds(100);
  policy.max_delay = milliseconds(5000);
  EXPECT_EQ(policy.delay_after(1, 0.5, milliseconds(2000)), milliseconds(2000));
  EXPECT_EQ(policy.delay_after(1, 0.5, milliseconds(60000)), milliseconds(5000));
  EXPECT_EQ(policy.delay_after(1, 0.5, milliseconds(1)), milliseconds(50));
}

TEST(RetryPolicy, RandomUnitStaysInRange) {
  for (int i = 0; i < 1000; ++i) {
    const double draw = gsync::http::random_unit();
    ASSERT_GE(draw, 0.0);
    ASSERT_LT(draw, 1.0);
  }
}
