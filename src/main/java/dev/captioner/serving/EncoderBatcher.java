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
import java.util.concurrent.atomic.AtomicInteger;

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

    private record Pending(FeatureEncoder encoder, BufferedImage image, CompletableFuture<float[]> result,
                           long enqueuedNanos) {
    }

    /** How much of a new sample moves the running per-image time: enough to follow load, not single outliers. */
    private static final double SMOOTHING = 0.2;

    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final long maxQueueWaitNanos;
    private final AtomicInteger encoding = new AtomicInteger();
    private volatile double secondsPerImage;
    private final Thread worker;
    private volatile boolean closed;

    /**
     * @param maxQueueWait longest an image may wait for its pass; older ones are answered 503 instead of being
     *                     encoded for a client that has most likely given up (Tomcat cannot tell us it has)
     */
    public EncoderBatcher(int queueCapacity, int maxBatch, Duration maxWait, Duration maxQueueWait) {
        if (queueCapacity < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("queue capacity and batch size must be positive");
        }
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.maxQueueWaitNanos = maxQueueWait.toNanos();
        this.worker = new Thread(this::work, "encoder-batcher");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * How long a new image would wait for its pass: the images ahead of it (queued and in the pass running now)
     * at the measured time per image. Zero until a pass has been measured.
     */
    public Duration expectedWait() {
        double seconds = (queue.size() + encoding.get()) * secondsPerImage;
        return Duration.ofMillis((long) (seconds * 1000));
    }

    /**
     * Refuses a request up front (before it is even decoded) when it would wait longer than {@code limit},
     * with a Retry-After of that expected wait: an early no instead of a late one.
     */
    public void refuseIfWaitOver(Duration limit) {
        Duration expected = expectedWait();
        if (expected.compareTo(limit) > 0) {
            throw new ServiceBusyException(ServiceBusyException.Reason.OVERLOADED, "the service is overloaded: a new "
                    + "image would wait about " + expected.toSeconds() + " s for the encoder; try again later",
                    (long) Math.ceil(expected.toMillis() / 1000.0));
        }
    }

    /** Encodes one image, together with any others that arrive at about the same time. */
    public float[] encode(FeatureEncoder encoder, BufferedImage image) {
        Pending pending = new Pending(encoder, image, new CompletableFuture<>(), System.nanoTime());
        if (closed) {
            throw shuttingDown();
        }
        if (!queue.offer(pending)) {
            throw new ServiceBusyException(ServiceBusyException.Reason.QUEUE_FULL, "the service is busy: "
                    + queue.size() + " images are waiting for the encoder; try again shortly", 1);
        }
        try {
            return pending.result().get(MAX_WAIT_FOR_RESULT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ServiceBusyException(ServiceBusyException.Reason.WAITED_TOO_LONG,
                    "the encoder did not answer within " + MAX_WAIT_FOR_RESULT, 5);
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
                run(fresh(batch));
            } catch (InterruptedException e) {
                // closing: images already taken off the queue must not leave their callers waiting
                batch.forEach(p -> p.result().completeExceptionally(shuttingDown()));
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        for (Pending left; (left = queue.poll()) != null; ) {
            left.result().completeExceptionally(shuttingDown());
        }
    }

    private static ServiceBusyException shuttingDown() {
        return new ServiceBusyException(ServiceBusyException.Reason.SHUTTING_DOWN, "the service is shutting down", 10);
    }

    /** The images still worth encoding; those that waited past the limit are answered 503 instead. */
    private List<Pending> fresh(List<Pending> batch) {
        long now = System.nanoTime();
        List<Pending> fresh = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            if (now - pending.enqueuedNanos() > maxQueueWaitNanos) {
                pending.result().completeExceptionally(new ServiceBusyException(ServiceBusyException.Reason.WAITED_TOO_LONG,
                        "the image waited longer than " + Duration.ofNanos(maxQueueWaitNanos).toSeconds()
                                + " s for the encoder; try again later", 5));
            } else {
                fresh.add(pending);
            }
        }
        return fresh;
    }

    /** Images for different encoders (a model swap mid-batch) are encoded separately, never mixed. */
    private void run(List<Pending> batch) {
        encoding.set(batch.size());
        try {
            runBatch(batch);
        } finally {
            encoding.set(0);
        }
    }

    private void runBatch(List<Pending> batch) {
        List<Pending> remaining = new ArrayList<>(batch);
        while (!remaining.isEmpty()) {
            FeatureEncoder encoder = remaining.get(0).encoder();
            List<Pending> same = remaining.stream().filter(p -> p.encoder() == encoder).toList();
            remaining.removeAll(same);
            try {
                long start = System.nanoTime();
                float[][] features = encoder.encode(same.stream().map(Pending::image).toList());
                double perImage = (System.nanoTime() - start) / 1e9 / same.size();
                secondsPerImage = secondsPerImage == 0 ? perImage : (1 - SMOOTHING) * secondsPerImage + SMOOTHING * perImage;
                encoding.addAndGet(-same.size());  // before its callers go on, so they see the wait as it is
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
