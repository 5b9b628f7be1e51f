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
        try (EncoderBatcher batcher = new EncoderBatcher(32, 8, Duration.ofMillis(50))) {
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
            Thread.sleep(100); // all nine reach the batcher while the encoder is held shut
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
        try (EncoderBatcher batcher = new EncoderBatcher(2, 1, Duration.ZERO)) {
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
        EncoderBatcher batcher = new EncoderBatcher(8, 8, Duration.ofSeconds(30));
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
        try (EncoderBatcher batcher = new EncoderBatcher(8, 4, Duration.ZERO)) {
            assertThatThrownBy(() -> batcher.encode(encoder, image(13))).hasMessage("unlucky image");
            assertThat(batcher.encode(encoder, image(5))[0]).isEqualTo(5);
        }
    }

    @Test
    void imagesForDifferentEncodersAreNeverMixed() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        RecordingEncoder a = new RecordingEncoder(open);
        RecordingEncoder b = new RecordingEncoder(open);
        try (EncoderBatcher batcher = new EncoderBatcher(16, 8, Duration.ofMillis(100))) {
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
}
