package dev.captioner.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One progress line for a long command. On a terminal it is redrawn in place; anywhere else (a batch
 * scheduler's log, a pipe) carriage-return redraws would pile up into one endless line, so a full line is
 * printed only when the work has moved on by a step or some seconds have passed.
 */
public final class ProgressPrinter {

    static final double LOG_STEP = 0.05;
    static final Duration LOG_EVERY = Duration.ofSeconds(10);

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private double lastFraction = Double.NEGATIVE_INFINITY;
    private long lastPrinted;
    private boolean pending;

    ProgressPrinter(PrintWriter out, boolean terminal, LongSupplier nanoClock) {
        this.out = out;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
    }

    /** Redraws in place only when the JVM has a console (stdin and stdout are a terminal). */
    public static ProgressPrinter to(PrintWriter out) {
        return new ProgressPrinter(out, System.console() != null, System::nanoTime);
    }

    /** @param fraction 0..1 of the work, or negative when unknown (then only time decides) */
    public synchronized void update(String line, double fraction) {
        long now = nanoClock.getAsLong();
        if (terminal) {
            out.print("\r" + line + "\033[K");
            out.flush();
            pending = true;
            return;
        }
        boolean stepped = fraction >= 0 && fraction >= lastFraction + LOG_STEP;
        boolean waited = now - lastPrinted >= LOG_EVERY.toNanos();
        if (stepped || waited || lastFraction == Double.NEGATIVE_INFINITY) {
            out.println(line);
            lastFraction = fraction >= 0 ? Math.floor(fraction / LOG_STEP) * LOG_STEP : lastFraction;
            lastPrinted = now;
        }
    }

    /** A line of its own (a message between progress updates), ending any redrawn line first. */
    public synchronized void message(String line) {
        if (pending) {
            out.println();
            pending = false;
        }
        out.println(line);
    }

    /** Ends the redrawn line, if any; call when the work is done. */
    public synchronized void finish() {
        if (pending) {
            out.println();
            pending = false;
        }
        out.flush();
    }

    /** {@code [#########.....................]  31%}: the bar both kinds of output start with. */
    public static String bar(double fraction) {
        int width = 30;
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + String.format("%3d%%", Math.round(fraction * 100));
    }
}
