package dev.captioner.problem;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an RFC 9457 problem straight to the response, for code that runs outside Spring MVC's exception
 * handling (filters, Spring Security's handlers): the same fields, the same type URNs.
 */
public class ProblemWriter {

    private final JsonMapper json;

    public ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, int status, String type, String detail)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(status), detail);
        problem.setType(URI.create("urn:captioner:problem:" + type));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        String path = request.getRequestURI();
        if (path != null && path.startsWith("/")) {
            body.put("instance", path);
        }
        String text = json.writeValueAsString(body);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        // a length, not chunks: when the connection is closed after a refusal (a read error, a stalled body)
        // Tomcat never writes the last chunk, and a chunked reply cut short is no reply to a strict client
        response.setContentLength(text.getBytes(StandardCharsets.UTF_8).length);
        response.getWriter().write(text);
    }
}
