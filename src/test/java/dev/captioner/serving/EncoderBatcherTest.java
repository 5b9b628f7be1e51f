package dev.captioner.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.captioner.vision.FeatureEncoder;
import org.junit.jupiter.api.Test;

class EncoderBatcherTest {

    /** Feature = the image's width; records the size of every batch; can be held shut by a latch. */
    static final class RecordingEncoder implements FeatureEncoder {
        final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch open;

        RecordingEncoder(CountDownLatch open) {
            this.open = open;
        }

        @Override
        public String id() {
            return "recording";
        }

        @Override
        public int featureSize() {
            return 1;
        }

        @Override
        public float[][] encode(List<BufferedImage> images) {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batches.add(images.size());
            if (images.stream().anyMatch(i -> i.getWidth() == 13)) {
                throw new IllegalStateException("unlucky image");
            }
            return images.stream().map(i -> new float[] {i.getWidth()}).toArray(float[][]::new);
        }
    }

    private static BufferedImage image(int width) {
        return new BufferedImage(width, 1, BufferedImage.TYPE_INT_RGB);
    }

    @Test
    void concurrentRequestsShareABatchAndEachGetsItsOwnFeatures() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        RecordingEncoder encoder = new RecordingEncoder(open);
        try (EncoderBatcher batcher = new EncoderBatcher(32, 8, Duration.ofMillis(50), Duration.ofMinutes(5))) {
            ExecutorService clients = Executors.newFixedThreadPool(9);
            List<Future<float[]>> results = new ArrayList<>();
            CountDownLatch submitting = new CountDownLatch(9);
            for (int i = 1; i <= 9; i++) {
                int width = i;
                results.add(clients.submit(() -> {
                    submitting.countDown();
                    return batcher.encode(encoder, image(width));
                }));
            }
            submitting.await();
            while (batcher.waiting() + batcher.encodingNow() < 9) {
                Thread.sleep(5); // all nine reach the batcher while the encoder is held shut
            }
            open.countDown();
            for (int i = 1; i <= 9; i++) {
                assertThat(results.get(i - 1).get()[0]).isEqualTo(i);
            }
            clients.shutdown();
        }
        assertThat(encoder.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(9);
        assertThat(encoder.batches).allMatch(size -> size <= 8);
        assertThat(encoder.batches.stream().mapToInt(Integer::intValue).max().orElse(0)).isGreaterThan(1);
    }

    @Test
    void aFullQueueIsRefusedNotQueued() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        RecordingEncoder encoder = new RecordingEncoder(open);
        try (EncoderBatcher batcher = new EncoderBatcher(2, 1, Duration.ZERO, Duration.ofMinutes(5))) {
            ExecutorService clients = Executors.newFixedThreadPool(3);
            List<Future<float[]>> accepted = new ArrayList<>();
            accepted.add(clients.submit(() -> batcher.encode(encoder, image(1))));
            while (encoder.open.getCount() > 0 && batcher.waiting() > 0) {
                Thread.sleep(5);
            }
            Thread.sleep(50); // the worker holds the first image inside the (shut) encoder
            accepted.add(clients.submit(() -> batcher.encode(encoder, image(2))));
            accepted.add(clients.submit(() -> batcher.encode(encoder, image(3))));
            while (batcher.waiting() < 2) {
                Thread.sleep(5);
            }
            assertThatThrownBy(() -> batcher.encode(encoder, image(4))).isInstanceOf(ServiceBusyException.class);
            open.countDown();
            for (int i = 0; i < 3; i++) {
                assertThat(accepted.get(i).get()[0]).isEqualTo(i + 1);
            }
            clients.shutdown();
        }
    }

    @Test
    void closingWhileABatchIsBeingCollectedReleasesItsCallers() throws Exception {
        RecordingEncoder encoder = new RecordingEncoder(new CountDownLatch(0));
        EncoderBatcher batcher = new EncoderBatcher(8, 8, Duration.ofSeconds(30), Duration.ofMinutes(5));
        ExecutorService client = Executors.newSingleThreadExecutor();
        CountDownLatch submitting = new CountDownLatch(1);
        Future<float[]> result = client.submit(() -> {
            submitting.countDown();
            return batcher.encode(encoder, image(1));
        });
        submitting.await();
        do {
            Thread.sleep(50);
        } while (batcher.waiting() > 0); // then the worker holds the image, waiting up to 30 s for others
        batcher.close();
        assertThatThrownBy(() -> result.get(5, java.util.concurrent.TimeUnit.SECONDS))
                .hasCauseInstanceOf(ServiceBusyException.class);
        client.shutdown();
    }

    @Test
    void anEncoderFailureReachesTheCallersOfThatBatchOnly() {
        RecordingEncoder encoder = new RecordingEncoder(new CountDownLatch(0));
        try (EncoderBatcher batcher = new EncoderBatcher(8, 4, Duration.ZERO, Duration.ofMinutes(5))) {
            assertThatThrownBy(() -> batcher.encode(encoder, image(13))).hasMessage("unlucky image");
            assertThat(batcher.encode(encoder, image(5))[0]).isEqualTo(5);
        }
    }

    @Test
    void imagesForDifferentEncodersAreNeverMixed() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        RecordingEncoder a = new RecordingEncoder(open);
        RecordingEncoder b = new RecordingEncoder(open);
        try (EncoderBatcher batcher = new EncoderBatcher(16, 8, Duration.ofMillis(100), Duration.ofMinutes(5))) {
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                int width = i;
                results.add(clients.submit(() -> batcher.encode(width % 2 == 0 ? a : b, image(width))));
            }
            Thread.sleep(150);
            open.countDown();
            for (int i = 1; i <= 4; i++) {
                assertThat(results.get(i - 1).get()[0]).isEqualTo(i);
            }
            clients.shutdown();
        }
        assertThat(a.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2);
        assertThat(b.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2);
    }

    /** A place is taken before the image is decoded: the queue's capacity counts images still being decoded. */
    @Test
    void placesAreTakenBeforeDecodingAndFreedWhenUnused() {
        RecordingEncoder encoder = new RecordingEncoder(new CountDownLatch(0));
        try (EncoderBatcher batcher = new EncoderBatcher(2, 1, Duration.ZERO, Duration.ofMinutes(5))) {
            EncoderBatcher.Place first = batcher.reserve(Duration.ofSeconds(10));
            EncoderBatcher.Place second = batcher.reserve(Duration.ofSeconds(10));
            assertThat(batcher.waiting()).as("nothing queued yet: both are still decoding").isZero();
            assertThatThrownBy(() -> batcher.reserve(Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(ServiceBusyException.class,
                            e -> assertThat(e.reason()).isEqualTo(ServiceBusyException.Reason.QUEUE_FULL));
            first.close(); // its decode failed: the place goes back
            assertThat(second.encode(encoder, image(7))[0]).isEqualTo(7);
            try (EncoderBatcher.Place third = batcher.reserve(Duration.ofSeconds(10));
                 EncoderBatcher.Place fourth = batcher.reserve(Duration.ofSeconds(10))) {
                assertThat(third.encode(encoder, image(8))[0]).isEqualTo(8);
                assertThat(fourth).isNotNull();
            }
            assertThatThrownBy(() -> second.encode(encoder, image(9))).isInstanceOf(IllegalStateException.class);
        }
    }

    /** Waits are bounded in time: a request that would wait too long is refused before any work, saying how long. */
    @Test
    void aRequestThatWouldWaitTooLongIsRefusedUpFrontWithTheExpectedWait() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        SlowEncoder encoder = new SlowEncoder(open, 200);
        try (EncoderBatcher batcher = new EncoderBatcher(32, 1, Duration.ZERO, Duration.ofMinutes(5))) {
            assertThat(batcher.expectedWait()).as("nothing measured yet").isZero();
            batcher.encode(encoder, image(1));  // one measured pass: about 200 ms per image
            open.countDown();
            assertThat(batcher.expectedWait()).as("idle").isZero();
            CountDownLatch held = new CountDownLatch(1);
            encoder.hold = held;
            ExecutorService clients = Executors.newFixedThreadPool(6);
            List<Future<float[]>> waiting = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                waiting.add(clients.submit(() -> batcher.encode(encoder, image(2))));
            }
            while (batcher.waiting() < 5) {
                Thread.sleep(5);
            }
            // five queued and one in the pass, at about 0.2 s each
            assertThat(batcher.expectedWait()).isBetween(Duration.ofMillis(900), Duration.ofMillis(3000));
            assertThatThrownBy(() -> batcher.refuseIfBusy(Duration.ofMillis(500)))
                    .isInstanceOfSatisfying(ServiceBusyException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ServiceBusyException.Reason.OVERLOADED);
                        assertThat(e.retryAfterSeconds()).isBetween(1L, 3L);
                    });
            batcher.refuseIfBusy(Duration.ofSeconds(30));
            assertThatThrownBy(() -> batcher.reserve(Duration.ofMillis(500))).isInstanceOf(ServiceBusyException.class);
            held.countDown();
            for (Future<float[]> result : waiting) {
                assertThat(result.get()[0]).isEqualTo(2);
            }
            clients.shutdown();
        }
    }

    /** Work that waited past the limit is answered, not encoded for a client that has most likely gone. */
    @Test
    void imagesThatWaitedPastTheLimitAreAnsweredNotEncoded() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        RecordingEncoder encoder = new RecordingEncoder(open);
        try (EncoderBatcher batcher = new EncoderBatcher(8, 1, Duration.ZERO, Duration.ofMillis(100))) {
            ExecutorService clients = Executors.newFixedThreadPool(2);
            Future<float[]> first = clients.submit(() -> batcher.encode(encoder, image(1)));
            while (batcher.waiting() > 0) {
                Thread.sleep(5);
            }
            Future<float[]> stale = clients.submit(() -> batcher.encode(encoder, image(2)));
            while (batcher.waiting() < 1) {
                Thread.sleep(5);
            }
            Thread.sleep(300);  // the second image outwaits the 100 ms limit behind the shut encoder
            open.countDown();
            assertThat(first.get()[0]).isEqualTo(1);
            assertThatThrownBy(stale::get).cause().isInstanceOfSatisfying(ServiceBusyException.class,
                    e -> assertThat(e.reason()).isEqualTo(ServiceBusyException.Reason.WAITED_TOO_LONG));
            assertThat(encoder.batches).as("only the first image was encoded").containsExactly(1);
            clients.shutdown();
        }
    }

    /** Takes a fixed time per image; can be held shut. */
    static final class SlowEncoder implements FeatureEncoder {
        volatile CountDownLatch hold;
        private final long millisPerImage;

        SlowEncoder(CountDownLatch hold, long millisPerImage) {
            this.hold = new CountDownLatch(0);
            this.millisPerImage = millisPerImage;
        }

        @Override
        public String id() {
            return "slow";
        }

        @Override
        public int featureSize() {
            return 1;
        }

        @Override
        public float[][] encode(List<BufferedImage> images) {
            try {
                hold.await();
                Thread.sleep(millisPerImage * images.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return images.stream().map(i -> new float[] {i.getWidth()}).toArray(float[][]::new);
        }
    }
}
