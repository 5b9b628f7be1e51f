package dev.captioner.upload;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * No request thread waits on a client's body: a request with a body is put aside (servlet async with a read
 * listener) until all of it has arrived, and only then dispatched to the application, which reads it from memory.
 * Runs after Spring Security, so a body is only received for requests that may be made at all, and before
 * everything that reads bodies. Bodies in progress are bounded in number and in bytes ({@link UploadBudget}),
 * each in size ({@link BodyLimits}) and in time.
 */
final class BodyReceivingFilter extends OncePerRequestFilter {

    private final UploadBudget budget;
    private final BodyLimits limits;
    private final Refusals refusals;
    private final ScheduledExecutorService timer;
    private final List<EarlyRefusal> earlyRefusals;

    BodyReceivingFilter(UploadBudget budget, BodyLimits limits, Refusals refusals, ScheduledExecutorService timer,
                        List<EarlyRefusal> earlyRefusals) {
        this.budget = budget;
        this.limits = limits;
        this.refusals = refusals;
        this.timer = timer;
        this.earlyRefusals = List.copyOf(earlyRefusals);
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getDispatcherType() == DispatcherType.ASYNC
                && request.getAttribute(ReceivedBody.ATTRIBUTE) instanceof ReceivedBody body) {
            chain.doFilter(body.wrap(request), response);
            return;
        }
        Runnable closeAfterResponse = (Runnable) request.getAttribute(UnreadBodyValve.CLOSE_AFTER_RESPONSE);
        if (request.getDispatcherType() != DispatcherType.REQUEST || !hasBody(request) || closeAfterResponse == null
                || !request.isAsyncSupported()) {
            // no body to wait for, or not the container the receiver is made for (a mock one in slice tests)
            chain.doFilter(request, response);
            return;
        }
        BodyReceiver receiver = new BodyReceiver(request, response, refusals, limits, closeAfterResponse, timer);
        long limit = limits.limitFor(request);
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            receiver.refuse(413, limits.tooLargeType(request), limits.tooLargeDetail(request, declared, limit), 0);
            return;
        }
        for (EarlyRefusal early : earlyRefusals) {
            Optional<EarlyRefusal.Refusal> refusal = early.refusalOf(request);
            if (refusal.isPresent()) {
                EarlyRefusal.Refusal r = refusal.get();
                receiver.refuse(r.status(), r.type(), r.detail(), r.retryAfterSeconds());
                return;
            }
        }
        Optional<UploadBudget.Reservation> slot = budget.open(receiver::evicted);
        if (slot.isEmpty()) {
            refusals.countUploadsBusy();
            receiver.refuse(503, Refusals.UPLOADS_BUSY,
                    "the service is receiving as many uploads as it may at once; try again shortly", 2);
            return;
        }
        receiver.receive(slot.get());
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }
}
