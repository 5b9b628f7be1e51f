package dev.captioner.web;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.captioner.problem.ProblemWriter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A query string the container cannot decode ({@code ?beamSize=%ZZ}, {@code ?mode=be%}, {@code ?=}) makes it
 * throw while binding parameters, deep inside the request: refused here first, as the client's 400.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class QueryStringFilter extends OncePerRequestFilter {

    /** A '%' must start a two-digit hex escape; a parameter must have a name. */
    private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private final ProblemWriter problems;

    QueryStringFilter(JsonMapper json) {
        this.problems = new ProblemWriter(json);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        String problem = query == null ? null : problem(query);
        if (problem != null) {
            problems.write(request, response, 400, "invalid-query", problem);
            return;
        }
        chain.doFilter(request, response);
    }

    static String problem(String query) {
        if (BAD_ESCAPE.matcher(query).find()) {
            return "the query string has a '%' that does not start a %XX escape";
        }
        for (String pair : query.split("&", -1)) {
            if (!pair.isEmpty() && (pair.startsWith("=") || pair.isBlank())) {
                return "the query string has a parameter without a name";
            }
        }
        return null;
    }
}
