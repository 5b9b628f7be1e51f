package dev.captioner.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class UploadBudgetTest {

    private final AtomicLong now = new AtomicLong();
    /** 2 slots, 1000 bytes, 100 B/s minimum after a 2 s grace, on a clock the test moves. */
    private final UploadBudget budget = new UploadBudget(2, 1000, 100, Duration.ofSeconds(2), now::get);

    @Test
    void slotsAreCountedAndGivenBackOnce() {
        UploadBudget.Reservation first = budget.open(() -> { }).orElseThrow();
        budget.open(() -> { }).orElseThrow();
        assertThat(budget.open(() -> { })).as("both slots taken, both still in their grace period").isEmpty();
        first.close();
        first.close();
        assertThat(budget.uploadsInProgress()).isEqualTo(1);
        assertThat(budget.open(() -> { })).isPresent();
    }

    @Test
    void bytesAreReservedUpToTheBudgetAndReturnedOnClose() {
        UploadBudget.Reservation a = budget.open(() -> { }).orElseThrow();
        UploadBudget.Reservation b = budget.open(() -> { }).orElseThrow();
        assertThat(a.grow(600)).isTrue();
        assertThat(b.grow(500)).as("600 + 500 is over 1000").isFalse();
        assertThat(b.grow(400)).isTrue();
        assertThat(budget.bytesHeld()).isEqualTo(1000);
        a.close();
        assertThat(budget.bytesHeld()).isEqualTo(400);
        assertThat(a.grow(1)).as("a closed reservation holds nothing more").isFalse();
    }

    @Test
    void whenFullTheSlowestBodyBelowTheMinimumRateGivesItsSlotUp() {
        AtomicInteger evicted = new AtomicInteger();
        UploadBudget.Reservation slow = budget.open(() -> evicted.addAndGet(1)).orElseThrow();
        UploadBudget.Reservation slower = budget.open(() -> evicted.addAndGet(10)).orElseThrow();
        slower.grow(500);
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        slow.received(150);   // 50 B/s
        slower.received(30);  // 10 B/s
        assertThat(budget.open(() -> { })).isPresent();
        assertThat(evicted).as("the slower one went").hasValue(10);
        assertThat(budget.uploadsInProgress()).isEqualTo(2);
        assertThat(budget.bytesHeld()).as("the evicted body's bytes are given back").isZero();
        assertThat(slower.grow(1)).isFalse();
    }

    @Test
    void bodiesAtTheMinimumRateOrInTheirGracePeriodKeepTheirSlots() {
        UploadBudget.Reservation fast = budget.open(() -> { }).orElseThrow();
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        fast.received(300);   // 100 B/s: not below
        budget.open(() -> { }).orElseThrow(); // new: in its grace period, though it has sent nothing
        assertThat(budget.open(() -> { })).isEmpty();
        assertThat(budget.uploadsInProgress()).isEqualTo(2);
    }
}
