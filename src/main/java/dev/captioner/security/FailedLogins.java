package dev.captioner.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.captioner.config.CaptionerProperties;

/**
 * Failed admin logins per client address, and how long each address must wait before it may try again: nothing
 * for the first {@code maxFailures - 1} failures in a row, then {@code firstLockout}, doubled by every further
 * failure up to {@code maxLockout}. A success forgets the address, and so does a quiet spell of twice
 * {@code maxLockout} (long enough that waiting out the longest lockout between guesses gains nothing).
 * At most {@code trackedClients} addresses are held, the least recently seen forgotten first.
 */
public final class FailedLogins {

    private final CaptionerProperties.Admin.LoginThrottle settings;
    private final Clock clock;
    private final Map<String, Failures> byClient;

    public FailedLogins(CaptionerProperties.Admin.LoginThrottle settings, Clock clock) {
        if (settings.maxFailures() < 1 || settings.trackedClients() < 1 || settings.firstLockout().isNegative()
                || settings.maxLockout().compareTo(settings.firstLockout()) < 0) {
            throw new IllegalArgumentException("captioner.admin.login-throttle needs max-failures and tracked-clients "
                    + "of at least 1 and max-lockout of at least first-lockout");
        }
        this.settings = settings;
        this.clock = clock;
        int capacity = settings.trackedClients();
        this.byClient = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > capacity;
            }
        };
    }

    /** How long {@code client} must still wait before its next login attempt; zero when it may try now. */
    public synchronized Duration lockedFor(String client) {
        Failures failures = current(client);
        if (failures == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), failures.lockedUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public synchronized void failed(String client) {
        Failures before = current(client);
        int count = before == null ? 1 : before.count + 1;
        Instant now = clock.instant();
        byClient.put(client, new Failures(count, now, now.plus(lockout(count))));
    }

    public synchronized void succeeded(String client) {
        byClient.remove(client);
    }

    /** Addresses held now (forgotten ones may linger until next looked up or pushed out). */
    synchronized int tracked() {
        return byClient.size();
    }

    private Duration lockout(int failures) {
        int beyond = failures - settings.maxFailures();
        if (beyond < 0) {
            return Duration.ZERO;
        }
        Duration lockout = settings.firstLockout();
        for (int i = 0; i < beyond && !lockout.isZero() && lockout.compareTo(settings.maxLockout()) < 0; i++) {
            lockout = lockout.multipliedBy(2);
        }
        return lockout.compareTo(settings.maxLockout()) > 0 ? settings.maxLockout() : lockout;
    }

    private Failures current(String client) {
        Failures failures = byClient.get(client);
        if (failures != null && !clock.instant().isBefore(failures.last.plus(settings.maxLockout().multipliedBy(2)))) {
            byClient.remove(client);
            return null;
        }
        return failures;
    }

    private record Failures(int count, Instant last, Instant lockedUntil) {
    }
}
