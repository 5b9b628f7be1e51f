package dev.captioner.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.captioner.config.CaptionerProperties.Admin.LoginThrottle;
import org.junit.jupiter.api.Test;

/** The lockout arithmetic, on a clock the test moves by hand. */
class FailedLoginsTest {

    private final SettableClock clock = new SettableClock();
    private final FailedLogins logins = new FailedLogins(LoginThrottle.defaults(), clock);

    @Test
    void theFirstFourFailuresInARowCostNothingTheFifthLocksTheAddressOut() {
        for (int i = 0; i < 4; i++) {
            logins.failed("10.0.0.1");
            assertThat(logins.lockedFor("10.0.0.1")).isZero();
        }
        logins.failed("10.0.0.1");
        assertThat(logins.lockedFor("10.0.0.1")).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(400));
        assertThat(logins.lockedFor("10.0.0.1")).isEqualTo(Duration.ofMillis(600));
        clock.advance(Duration.ofMillis(600));
        assertThat(logins.lockedFor("10.0.0.1")).isZero();
    }

    @Test
    void everyFurtherFailureDoublesTheLockoutUpToTheCap() {
        fail("10.0.0.1", 4);
        List<Long> lockouts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            logins.failed("10.0.0.1");
            Duration locked = logins.lockedFor("10.0.0.1");
            lockouts.add(locked.toSeconds());
            clock.advance(locked);
        }
        assertThat(lockouts).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L, 300L);
    }

    @Test
    void aSuccessForgetsTheFailures() {
        fail("10.0.0.1", 4);
        logins.succeeded("10.0.0.1");
        fail("10.0.0.1", 4);
        assertThat(logins.lockedFor("10.0.0.1")).isZero();
        logins.failed("10.0.0.1");
        assertThat(logins.lockedFor("10.0.0.1")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void addressesAreCountedApart() {
        fail("10.0.0.1", 5);
        assertThat(logins.lockedFor("10.0.0.1")).isPositive();
        assertThat(logins.lockedFor("10.0.0.2")).isZero();
        fail("10.0.0.2", 4);
        assertThat(logins.lockedFor("10.0.0.2")).isZero();
    }

    /** Waiting out the longest lockout between guesses is still throttled; only a long quiet spell forgets. */
    @Test
    void anAddressIsForgottenAfterTwiceTheLongestLockoutWithoutFailures() {
        fail("10.0.0.1", 14);
        assertThat(logins.lockedFor("10.0.0.1")).isEqualTo(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(5));
        logins.failed("10.0.0.1");
        assertThat(logins.lockedFor("10.0.0.1")).isEqualTo(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(10));
        assertThat(logins.lockedFor("10.0.0.1")).isZero();
        logins.failed("10.0.0.1");
        assertThat(logins.lockedFor("10.0.0.1")).isZero();
    }

    @Test
    void theTableHoldsAtMostTrackedClientsTheLeastRecentlySeenGoingFirst() {
        FailedLogins small = new FailedLogins(new LoginThrottle(5, Duration.ofSeconds(1), Duration.ofMinutes(5), 3), clock);
        for (int client = 1; client <= 3; client++) {
            for (int i = 0; i < 5; i++) {
                small.failed("10.0.0." + client);
            }
        }
        small.lockedFor("10.0.0.1");
        for (int client = 4; client <= 1000; client++) {
            small.failed("10.0.0." + client % 250 + "." + client);
            assertThat(small.tracked()).isLessThanOrEqualTo(3);
        }
        assertThat(small.lockedFor("10.0.0.1")).isZero();
    }

    @Test
    void settingsThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> new FailedLogins(new LoginThrottle(0, Duration.ofSeconds(1), Duration.ofMinutes(5), 10), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FailedLogins(new LoginThrottle(5, Duration.ofMinutes(10), Duration.ofMinutes(5), 10), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void fail(String client, int times) {
        for (int i = 0; i < times; i++) {
            logins.failed(client);
        }
    }

    private static final class SettableClock extends Clock {

        private Instant now = Instant.parse("2026-12-01T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
