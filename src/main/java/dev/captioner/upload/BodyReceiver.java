package dev.captioner.upload;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives one request body with no thread waiting on it: the container calls {@link #onDataAvailable()} as
 * bytes arrive, and only the whole body is dispatched to the application. A body over its limit, over the memory
 * budget, past the receive deadline or evicted for being too slow is answered (413, 503, 408) without a thread
 * ever blocking on the client. After a refusal the rest of the body is read and dropped, up to a bound and within
 * the same deadline, so a client still sending sees the answer rather than a reset connection; past that bound
 * the connection is closed.
 */
final class BodyReceiver implements ReadListener, AsyncListener {

    private static final Logger log = LoggerFactory.getLogger(BodyReceiver.class);
    private static final int FIRST_CAPACITY = 64 * 1024;

    private enum State { WAITING, RECEIVING, DRAINING, DONE }

    private final AsyncContext async;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Refusals refusals;
    private final BodyLimits limits;
    private final Runnable closeAfterResponse;
    private final long declaredLength;
    private final long limit;
    private final ScheduledFuture<?> deadline;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> stallCheck;
    private long lastProgressNanos = System.nanoTime();

    private State state = State.WAITING;
    private ServletInputStream in;
    private UploadBudget.Reservation reservation;
    private byte[] buffer = new byte[0];
    private int size;
    private long drainLeft;

    /** Puts the request aside (servlet async) with its deadline running; nothing is read yet. */
    BodyReceiver(HttpServletRequest request, HttpServletResponse response, Refusals refusals, BodyLimits limits,
                 Runnable closeAfterResponse, ScheduledExecutorService timer) {
        this.async = request.startAsync(request, response);
        this.request = request;
        this.response = response;
        this.refusals = refusals;
        this.limits = limits;
        this.closeAfterResponse = closeAfterResponse;
        this.declaredLength = request.getContentLengthLong();
        this.limit = limits.limitFor(request);
        async.addListener(this);
        // the container's own timeout is only a backstop: the deadline below answers first
        async.setTimeout(limits.maxReceiveTime().toMillis() + 10_000);
        this.deadline = timer.schedule(this::deadlinePassed, limits.maxReceiveTime().toMillis(), TimeUnit.MILLISECONDS);
        this.timer = timer;
        this.stallCheck = timer.schedule(this::checkStall, limits.maxStall().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts reading the body into {@code slot}'s memory. */
    synchronized void receive(UploadBudget.Reservation slot) throws IOException {
        reservation = slot;
        if (state != State.WAITING) {
            // evicted or past the deadline before it started
            slot.close();
            return;
        }
        state = State.RECEIVING;
        listen();
    }

    /** Answers now; then reads and drops what the client still sends. */
    synchronized void refuse(int status, String type, String detail, int retryAfterSeconds) throws IOException {
        if (state != State.WAITING) {
            return;
        }
        respond(status, type, detail, retryAfterSeconds);
        startDraining();
        if (state == State.DRAINING) {
            listen();
        }
    }

    /** Another body needed the slot of this one, which was arriving too slowly. */
    synchronized void evicted() {
        if (state == State.RECEIVING || state == State.WAITING) {
            respond(408, "request-too-slow", "the request body arrived too slowly (" + size + " bytes in "
                    + limits.maxReceiveTime().toSeconds() + " s at most) while other uploads waited for its slot", 0);
            close(true);
        }
    }

    private void listen() throws IOException {
        in = request.getInputStream();
        in.setReadListener(this);
    }

    @Override
    public synchronized void onDataAvailable() throws IOException {
        while (state == State.RECEIVING || state == State.DRAINING) {
            if (!in.isReady()) {
                return;
            }
            if (state == State.RECEIVING) {
                receiveSome();
            } else {
                drainSome();
            }
        }
    }

    private void receiveSome() throws IOException {
        if (size == buffer.length && size == declaredLength) {
            // every declared byte is here: what follows can only be the end of the body
            if (in.read() >= 0) {
                refuseWhileReading(400, "invalid-body", "the body is longer than its Content-Length", 0);
            }
            return;
        }
        if (size == buffer.length && !grow()) {
            return;
        }
        int n = in.read(buffer, size, buffer.length - size);
        if (n <= 0) {
            return;
        }
        lastProgressNanos = System.nanoTime();
        size += n;
        reservation.received(n);
        if (size > limit) {
            refuseWhileReading(413, limits.tooLargeType(request), limits.tooLargeDetail(request, -1, limit), 0);
        }
    }

    /**
     * Room for more bytes, reserved before it is allocated: doubling from 64 KB up to what was declared, so a body
     * that trickles holds little. A chunked body may run one byte past the limit: how it is found too large.
     */
    private boolean grow() {
        long cap = declaredLength > 0 ? declaredLength : limit + 1;
        int capacity = (int) Math.min(Math.min(cap, Math.max(FIRST_CAPACITY, 2L * buffer.length)), Integer.MAX_VALUE - 8);
        if (!reservation.grow(capacity - buffer.length)) {
            refusals.countUploadsBusy();
            refuseWhileReading(503, Refusals.UPLOADS_BUSY,
                    "the service is holding as many uploads in memory as it may; try again shortly", 2);
            return false;
        }
        buffer = Arrays.copyOf(buffer, capacity);
        return true;
    }

    private void drainSome() throws IOException {
        byte[] scratch = new byte[8192];
        int n = in.read(scratch);
        if (n > 0) {
            lastProgressNanos = System.nanoTime();
            drainLeft -= n;
            if (drainLeft < 0) {
                close(true);
            }
        }
    }

    @Override
    public synchronized void onAllDataRead() {
        if (state == State.RECEIVING) {
            state = State.DONE;
            deadline.cancel(false);
            stallCheck.cancel(false);
            byte[] body = size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
            buffer = null;
            request.setAttribute(ReceivedBody.ATTRIBUTE, new ReceivedBody(body));
            async.dispatch();
        } else if (state == State.DRAINING) {
            close(false);
        }
    }

    @Override
    public synchronized void onError(Throwable error) {
        if (state == State.RECEIVING && causedBy(error, SocketTimeoutException.class)) {
            respond(408, "request-timeout", "the request body stopped arriving (" + size + " bytes received)", 0);
        } else if (state == State.RECEIVING && !causedBy(error, EOFException.class)) {
            // the client is still there but sent what the container cannot read: a malformed chunk, say
            respond(400, "invalid-body", "the request body could not be read: it is not valid HTTP/1.1 "
                    + "(a malformed chunk of a chunked body, for instance)", 0);
        }
        close(true);
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> kind) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (kind.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers a body that stopped arriving before the container's connection timeout closes the connection
     * without a word; while bytes keep coming, looks again when the stall limit could next be reached.
     */
    private synchronized void checkStall() {
        if (state == State.DONE) {
            return;
        }
        long idle = System.nanoTime() - lastProgressNanos;
        long limit = limits.maxStall().toNanos();
        if (idle < limit) {
            stallCheck = timer.schedule(this::checkStall, limit - idle, TimeUnit.NANOSECONDS);
            return;
        }
        if (state == State.RECEIVING || state == State.WAITING) {
            respond(408, "request-timeout", "the request body stopped arriving: " + size + " bytes received, then "
                    + "nothing for " + limits.maxStall().toSeconds() + " s", 0);
        }
        close(true);
    }

    private synchronized void deadlinePassed() {
        if (state == State.RECEIVING || state == State.WAITING) {
            respond(408, "request-timeout", "the request body did not arrive within "
                    + limits.maxReceiveTime().toSeconds() + " s (" + size + " of "
                    + (declaredLength < 0 ? "an undeclared number of" : String.valueOf(declaredLength))
                    + " bytes received)", 0);
        }
        close(true);
    }

    private void refuseWhileReading(int status, String type, String detail, int retryAfterSeconds) {
        respond(status, type, detail, retryAfterSeconds);
        startDraining();
    }

    private void startDraining() {
        buffer = null;
        if (reservation != null) {
            reservation.close();
        }
        long remaining = declaredLength < 0 ? limits.maxDrain() : declaredLength - size;
        if (remaining > limits.maxDrain()) {
            close(true);
        } else {
            state = State.DRAINING;
            drainLeft = remaining;
        }
    }

    private void respond(int status, String type, String detail, int retryAfterSeconds) {
        try {
            refusals.write(request, response, status, type, detail, retryAfterSeconds);
            response.flushBuffer();
        } catch (IOException | IllegalStateException e) {
            log.debug("could not answer {} to a client that stopped: {}", status, e.toString());
        }
    }

    /** Ends the exchange; {@code dropConnection}: the rest of the body will not be read, so the connection closes. */
    private void close(boolean dropConnection) {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        deadline.cancel(false);
        stallCheck.cancel(false);
        buffer = null;
        if (reservation != null) {
            reservation.close();
        }
        if (dropConnection) {
            closeAfterResponse.run();
        }
        try {
            async.complete();
        } catch (IllegalStateException e) {
            log.debug("exchange already complete: {}", e.toString());
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        UploadBudget.Reservation slot;
        synchronized (this) {
            deadline.cancel(false);
            stallCheck.cancel(false);
            slot = reservation;
        }
        if (slot != null) {
            slot.close();
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        deadlinePassed();
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // a dispatched body is not received again
    }
}
