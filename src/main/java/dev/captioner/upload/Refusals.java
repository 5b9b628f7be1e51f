package dev.captioner.upload;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.captioner.problem.ProblemWriter;
import org.springframework.http.HttpHeaders;

/** The problems a body can be refused with before the application sees it. */
final class Refusals {

    private final ProblemWriter problems;

    Refusals(ProblemWriter problems) {
        this.problems = problems;
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
