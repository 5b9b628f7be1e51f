package dev.captioner.web;

import java.net.URI;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page: what reaches it (an error raised outside Spring MVC, such as a filter's)
 * is answered as a problem with the error's own status; asked for directly, {@code /error} is not a resource,
 * so the OpenAPI description leaves it out.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request, HttpServletResponse response) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        if (status == HttpStatus.METHOD_NOT_ALLOWED && message instanceof String text && text.contains("TRACE")) {
            // Tomcat refuses TRACE everywhere (so nothing echoes a request), listing every servlet method as
            // allowed; the truth is that no resource here supports it. (The error dispatch itself is a GET.)
            response.setHeader(HttpHeaders.ALLOW, null);
            return problem(HttpStatus.NOT_IMPLEMENTED, "method-not-implemented", "TRACE is not supported by this service",
                    uri instanceof String path ? path : null);
        }
        if (status == null || !status.isError()) {
            return problem(HttpStatus.NOT_FOUND, "not-found", "no resource here", request.getRequestURI());
        }
        String detail = status.is5xxServerError() ? "the service failed to answer this request"
                : "the request could not be processed (" + status.getReasonPhrase().toLowerCase() + ")";
        return problem(status, status.is5xxServerError() ? "internal-error" : "http-" + status.value(), detail,
                uri instanceof String path ? path : null);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String type, String detail, String instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:captioner:problem:" + type));
        if (instance != null && instance.startsWith("/")) {
            try {
                problem.setInstance(URI.create(instance));
            } catch (IllegalArgumentException e) {
                // a path that is not a valid URI (why it failed, perhaps) is left out rather than failing again
            }
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
