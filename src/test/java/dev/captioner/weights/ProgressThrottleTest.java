package dev.captioner.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ProgressThrottleTest {

    private long nanos;

    @Test
    void reportsAtMostEvery250MillisecondsAndEveryPercent() {
        RecordingListener listener = new RecordingListener();
        ProgressThrottle throttle = new ProgressThrottle(listener, 0, 10_000, () -> nanos);

        throttle.update(5_000); // half the file at once, but no time has passed
        advanceMillis(300);
        throttle.update(5_000);
        advanceMillis(300);
        throttle.update(5_050); // 0.5 % since the last report: too little
        throttle.update(5_100);
        advanceMillis(100);
        throttle.update(9_000); // too soon after the last report
        advanceMillis(200);
        throttle.update(9_500);
        throttle.finish(10_000);

        assertThat(listener.progress).extracting(report -> report[0]).containsExactly(5_000L, 5_100L, 9_500L, 10_000L);
        assertThat(listener.progress).allSatisfy(report -> assertThat(report[1]).isEqualTo(10_000));
    }

    private void advanceMillis(long millis) {
        nanos += TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
