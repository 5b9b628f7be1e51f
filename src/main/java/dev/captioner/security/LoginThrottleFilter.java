package dev.captioner.security;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.captioner.problem.ProblemWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a login attempt (a request with HTTP Basic credentials, or the admin pages' sign-in form) from a client
 * address that is locked out after failed logins: 429 with a {@code Retry-After}, before the password is even
 * checked, so guessing stays slow whatever the guesses are and whichever way they come. Requests without
 * credentials pass, and get their usual 401 where one is due.
 */
final class LoginThrottleFilter extends OncePerRequestFilter {

    private static final String BASIC = "basic ";

    private final FailedLogins failedLogins;
    private final ProblemWriter problems;
    private final RequestMatcher signInForm;

    LoginThrottleFilter(FailedLogins failedLogins, ProblemWriter problems, RequestMatcher signInForm) {
        this.failedLogins = failedLogins;
        this.problems = problems;
        this.signInForm = signInForm;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        boolean basic = authorization != null && authorization.regionMatches(true, 0, BASIC, 0, BASIC.length());
        if (basic || signInForm.matches(request)) {
            Duration locked = failedLogins.lockedFor(request.getRemoteAddr());
            if (!locked.isZero()) {
                long seconds = Math.max(1, locked.plusMillis(999).toSeconds());
                response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
                problems.write(request, response, 429, "too-many-failed-logins", "too many failed logins from this "
                        + "address: try again in " + seconds + (seconds == 1 ? " second" : " seconds"));
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
