package dev.captioner.serving;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import javax.management.JMException;
import javax.management.ObjectName;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives memory back once a busy spell is over. The JVM keeps the heap it grew to and glibc keeps freed C memory
 * in its arenas, so without this the process stays at a spell's peak for as long as no collection happens, which
 * on an idle service is forever. When caption requests have stopped for {@code releaseAfterIdle} (and some came
 * since the last release), a full collection lets G1 shrink the heap, and the JVM's native heap trim returns
 * glibc's free memory (where the JVM offers it: 17.0.9 and later).
 */
public class IdleMemoryRelease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IdleMemoryRelease.class);
    private static final Path STATUS = Path.of("/proc/self/status");

    private final ServingLoad load;
    private final Duration releaseAfterIdle;
    private final LongSupplier nanoTime;
    private final Runnable collect;
    private final Runnable trimNativeHeap;
    private final Counter releases;
    private final ScheduledExecutorService timer;
    private long releasedAt;

    public IdleMemoryRelease(ServingLoad load, Duration releaseAfterIdle, MeterRegistry meters) {
        this(load, releaseAfterIdle, System::nanoTime, System::gc, IdleMemoryRelease::trimNativeHeap, meters, true);
    }

    IdleMemoryRelease(ServingLoad load, Duration releaseAfterIdle, LongSupplier nanoTime, Runnable collect,
                      Runnable trimNativeHeap, MeterRegistry meters, boolean schedule) {
        this.load = load;
        this.releaseAfterIdle = releaseAfterIdle;
        this.nanoTime = nanoTime;
        this.collect = collect;
        this.trimNativeHeap = trimNativeHeap;
        this.releases = Counter.builder("captioner.memory.releases")
                .description("memory given back to the system after a busy spell").register(meters);
        Gauge.builder("captioner.memory.resident", () -> Math.max(0, residentMegabytes()) * 1024.0 * 1024.0)
                .description("the process's resident set (Linux)").baseUnit("bytes").register(meters);
        this.releasedAt = load.lastRequestNanos();
        if (schedule && !releaseAfterIdle.isZero()) {
            timer = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "idle-memory-release");
                thread.setDaemon(true);
                return thread;
            });
            long period = Math.max(1, Math.min(releaseAfterIdle.toMillis() / 4, 5_000));
            timer.scheduleWithFixedDelay(this::releaseIfIdle, period, period, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    /** Releases when requests came since the last release and none for {@code releaseAfterIdle}; true if it did. */
    synchronized boolean releaseIfIdle() {
        long last = load.lastRequestNanos();
        if (last == releasedAt || load.inFlight() > 0 || nanoTime.getAsLong() - last < releaseAfterIdle.toNanos()) {
            return false;
        }
        releasedAt = last;
        long before = residentMegabytes();
        long start = nanoTime.getAsLong();
        collect.run();
        trimNativeHeap.run();
        releases.increment();
        // G1 uncommits the freed heap in the background: the resident set keeps falling for a few seconds
        log.info("idle for {} s after a busy spell (resident {} MB): collected and trimmed in {} ms",
                releaseAfterIdle.toSeconds(), before, TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - start));
        return true;
    }

    /**
     * Gives memory back now, for work that ends outside caption requests (a training job): the same collection
     * and trim as after a busy spell.
     */
    public synchronized void releaseNow(String reason) {
        long before = residentMegabytes();
        long start = nanoTime.getAsLong();
        collect.run();
        trimNativeHeap.run();
        releases.increment();
        log.info("{} (resident {} MB): collected and trimmed in {} ms", reason, before,
                TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - start));
    }

    /** The JVM's own {@code System.trim_native_heap} (jcmd's), through its diagnostic-command MBean. */
    private static void trimNativeHeap() {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
                    new Object[] {null}, new String[] {String[].class.getName()});
        } catch (JMException | RuntimeException e) {
            log.debug("this JVM cannot trim its native heap: {}", e.toString());
        }
    }

    /** The process's resident set in MB, or -1 where /proc does not tell. */
    static long residentMegabytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc
        }
        return -1;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
