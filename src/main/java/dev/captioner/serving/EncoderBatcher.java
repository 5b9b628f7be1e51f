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

import dev.captioner.metrics.EncoderMeters;
import dev.captioner.vision.FeatureEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micro-batching in front of the encoder: concurrent caption requests put their image on a bounded queue;
 * one worker takes the first waiting image, collects whatever else arrives within {@code maxWait} (up to
 * {@code maxBatch}), and encodes them in one forward pass, which costs less per image than one pass each.
 * A request takes its {@link Place} in the queue before its image is decoded, so a full queue or too long a wait
 * is refused at once ({@link ServiceBusyException}, a 503) without the decode, and a decoded image always finds
 * room.
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
    private final int queueCapacity;
    /** Places taken: images being decoded for the queue, and images in it. */
    private final AtomicInteger places = new AtomicInteger();
    private final int maxBatch;
    private final long maxWaitNanos;
    private final long maxQueueWaitNanos;
    private final AtomicInteger encoding = new AtomicInteger();
    private volatile double secondsPerImage;
    private final Thread worker;
    private final EncoderMeters meters;
    private volatile boolean closed;

    /**
     * @param maxQueueWait longest an image may wait for its pass; older ones are answered 503 instead of being
     *                     encoded for a client that has most likely given up (Tomcat cannot tell us it has)
     */
    public EncoderBatcher(int queueCapacity, int maxBatch, Duration maxWait, Duration maxQueueWait) {
        this(queueCapacity, maxBatch, maxWait, maxQueueWait, EncoderMeters.unregistered(maxBatch));
    }

    public EncoderBatcher(int queueCapacity, int maxBatch, Duration maxWait, Duration maxQueueWait,
                          EncoderMeters meters) {
        if (queueCapacity < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("queue capacity and batch size must be positive");
        }
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.queueCapacity = queueCapacity;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.maxQueueWaitNanos = maxQueueWait.toNanos();
        this.meters = meters;
        meters.watchQueue(places::get, queueCapacity);
        this.worker = new Thread(this::work, "encoder-batcher");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * How long a new image would wait for its pass: the images ahead of it (being decoded for the queue, queued,
     * and in the pass running now) at the measured time per image. Zero until a pass has been measured.
     */
    public Duration expectedWait() {
        return waitFor(places.get());
    }

    private Duration waitFor(int placesTaken) {
        double seconds = (placesTaken + encoding.get()) * secondsPerImage;
        return Duration.ofMillis((long) (seconds * 1000));
    }

    /**
     * Takes a place in the queue for an image about to be decoded; refused (503) when the queue has no place left,
     * or when the image would wait longer than {@code maxExpectedWait} (null: no limit), with a Retry-After of that
     * wait: an early no instead of a late one.
     */
    public Place reserve(Duration maxExpectedWait) {
        while (true) {
            int taken = checkRoom(maxExpectedWait);
            if (places.compareAndSet(taken, taken + 1)) {
                return new Place();
            }
        }
    }

    /** The refusals of {@link #reserve} without taking a place: for a request whose body has yet to arrive. */
    public void refuseIfBusy(Duration maxExpectedWait) {
        checkRoom(maxExpectedWait);
    }

    private int checkRoom(Duration maxExpectedWait) {
        if (closed) {
            throw shuttingDown();
        }
        int taken = places.get();
        if (taken >= queueCapacity) {
            throw new ServiceBusyException(ServiceBusyException.Reason.QUEUE_FULL, "the service is busy: "
                    + taken + " images are being decoded for the encoder or waiting for it; try again shortly", 1);
        }
        Duration expected = waitFor(taken);
        if (maxExpectedWait != null && expected.compareTo(maxExpectedWait) > 0) {
            throw new ServiceBusyException(ServiceBusyException.Reason.OVERLOADED, "the service is overloaded: a new "
                    + "image would wait about " + expected.toSeconds() + " s for the encoder; try again later",
                    (long) Math.ceil(expected.toMillis() / 1000.0));
        }
        return taken;
    }

    /** Encodes one image (taking a place for it), together with any others that arrive at about the same time. */
    public float[] encode(FeatureEncoder encoder, BufferedImage image) {
        try (Place place = reserve(null)) {
            return place.encode(encoder, image);
        }
    }

    /** One image's place in the queue, from before its decode until the worker takes it; closing an unused one frees it. */
    public final class Place implements AutoCloseable {

        private boolean used;
        private boolean released;

        private Place() {
        }

        /** Queues the image in this place and waits for its features. */
        public float[] encode(FeatureEncoder encoder, BufferedImage image) {
            return submit(encoder, image).await();
        }

        /**
         * Queues the image in this place without waiting, so that several images of one request are in the queue
         * together and go through in one pass; {@link Queued#await} gives the features.
         */
        public Queued submit(FeatureEncoder encoder, BufferedImage image) {
            if (used || released) {
                throw new IllegalStateException("a place holds one image");
            }
            used = true;
            Pending pending = new Pending(encoder, image, new CompletableFuture<>(), System.nanoTime());
            if (closed || !queue.offer(pending)) {
                // the queue only refuses when closing: every queued image holds a place, and places <= capacity
                places.decrementAndGet();
                throw shuttingDown();
            }
            return () -> EncoderBatcher.await(pending);
        }

        @Override
        public void close() {
            if (!used && !released) {
                released = true;
                places.decrementAndGet();
            }
        }
    }

    /** An image in the queue, its features to come. */
    public interface Queued {
        /** Waits for the image's features (a 503 when it waited past the limit or the service closes). */
        float[] await();
    }

    private static float[] await(Pending pending) {
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

    /** Images in the pass being collected or run now (tests wait on it). */
    int encodingNow() {
        return encoding.get();
    }

    private void work() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken(first, batch);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    taken(next, batch);
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

    /** An image leaves the queue for the pass being collected: its place is free, it counts as being encoded. */
    private void taken(Pending pending, List<Pending> batch) {
        encoding.incrementAndGet();
        places.decrementAndGet();
        batch.add(pending);
    }

    private static ServiceBusyException shuttingDown() {
        return new ServiceBusyException(ServiceBusyException.Reason.SHUTTING_DOWN, "the service is shutting down", 10);
    }

    /** The images still worth encoding; those that waited past the limit are answered 503 instead. */
    private List<Pending> fresh(List<Pending> batch) {
        long now = System.nanoTime();
        List<Pending> fresh = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            meters.waited(now - pending.enqueuedNanos());
            if (now - pending.enqueuedNanos() > maxQueueWaitNanos) {
                encoding.decrementAndGet();
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
                long nanos = System.nanoTime() - start;
                meters.batchEncoded(same.size(), nanos);
                double perImage = nanos / 1e9 / same.size();
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
