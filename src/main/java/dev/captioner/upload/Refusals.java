package dev.captioner.upload;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.captioner.metrics.RefusalMeters;
import dev.captioner.problem.ProblemWriter;
import org.springframework.http.HttpHeaders;

/** The problems a body can be refused with before the application sees it. */
final class Refusals {

    /** The problem type, and the {@code reason} of the 503 counted, when the upload slots or memory are taken. */
    static final String UPLOADS_BUSY = "busy-uploads";

    private final ProblemWriter problems;
    private final RefusalMeters meters;

    Refusals(ProblemWriter problems, RefusalMeters meters) {
        this.problems = problems;
        this.meters = meters;
    }

    /**
     * Counts a 503 for want of upload slots or memory; the early refusals are the service's and counted by it
     * ({@code serving.CaptionService}), so {@link #write} counts nothing.
     */
    void countUploadsBusy() {
        meters.refused("uploads");
    }

    /** {@code retryAfterSeconds}: 0 for none. */
    void write(HttpServletRequest request, HttpServletResponse response, int status, String type, String detail,
               int retryAfterSeconds) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        if (retryAfterSeconds > 0) {
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        }
        problems.write(request, response, status, type, detail);
    }
}
