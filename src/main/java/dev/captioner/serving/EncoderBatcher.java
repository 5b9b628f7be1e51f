package dev.captioner.serving;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.captioner.vision.FeatureEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micro-batching in front of the encoder: concurrent caption requests put their image on a bounded queue;
 * one worker takes the first waiting image, collects whatever else arrives within {@code maxWait} (up to
 * {@code maxBatch}), and encodes them in one forward pass, which costs less per image than one pass each.
 * A full queue is refused at once ({@link ServiceBusyException}, a 503) instead of letting requests pile up.
 */
public class EncoderBatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EncoderBatcher.class);
    private static final Duration MAX_WAIT_FOR_RESULT = Duration.ofMinutes(2);

    private record Pending(FeatureEncoder encoder, BufferedImage image, CompletableFuture<float[]> result) {
    }

    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final Thread worker;
    private volatile boolean closed;

    public EncoderBatcher(int queueCapacity, int maxBatch, Duration maxWait) {
        if (queueCapacity < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("queue capacity and batch size must be positive");
        }
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.worker = new Thread(this::work, "encoder-batcher");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Encodes one image, together with any others that arrive at about the same time. */
    public float[] encode(FeatureEncoder encoder, BufferedImage image) {
        Pending pending = new Pending(encoder, image, new CompletableFuture<>());
        if (closed || !queue.offer(pending)) {
            throw new ServiceBusyException("the service is busy: " + queue.size() + " images are waiting for the "
                    + "encoder; try again shortly");
        }
        try {
            return pending.result().get(MAX_WAIT_FOR_RESULT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ServiceBusyException("the encoder did not answer within " + MAX_WAIT_FOR_RESULT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the encoder", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    public int waiting() {
        return queue.size();
    }

    private void work() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                run(batch);
            } catch (InterruptedException e) {
                // closing: images already taken off the queue must not leave their callers waiting
                batch.forEach(p -> p.result().completeExceptionally(
                        new ServiceBusyException("the service is shutting down")));
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        for (Pending left; (left = queue.poll()) != null; ) {
            left.result().completeExceptionally(new ServiceBusyException("the service is shutting down"));
        }
    }

    /** Images for different encoders (a model swap mid-batch) are encoded separately, never mixed. */
    private static void run(List<Pending> batch) {
        List<Pending> remaining = new ArrayList<>(batch);
        while (!remaining.isEmpty()) {
            FeatureEncoder encoder = remaining.get(0).encoder();
            List<Pending> same = remaining.stream().filter(p -> p.encoder() == encoder).toList();
            remaining.removeAll(same);
            try {
                float[][] features = encoder.encode(same.stream().map(Pending::image).toList());
                for (int i = 0; i < same.size(); i++) {
                    same.get(i).result().complete(features[i]);
                }
            } catch (RuntimeException | Error e) {
                log.error("encoding a batch of {} images failed", same.size(), e);
                same.forEach(p -> p.result().completeExceptionally(e));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
