package dev.captioner.security;

import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Which requests must carry the browser session's CSRF token: every state-changing request that a browser could
 * have been tricked into sending with the admin's ambient credentials — a live session's cookie, or HTTP Basic
 * credentials the browser remembers and adds by itself to a request from another site ({@code Sec-Fetch-Site},
 * which scripts do not send) — and the sign-in form itself. A script's own {@code Authorization} header is no
 * ambient credential, and a request with no credentials at all has nothing to forge: it gets its 401. The public
 * caption API carries no credentials either.
 */
final class CsrfRequirement implements RequestMatcher {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Set<String> OWN_SITE = Set.of("same-origin", "none");

    private final RequestMatcher publicApi = PathPatternRequestMatcher.withDefaults().matcher("/api/**");
    private final RequestMatcher signInForm;

    CsrfRequirement(RequestMatcher signInForm) {
        this.signInForm = signInForm;
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        if (SAFE_METHODS.contains(request.getMethod()) || publicApi.matches(request)) {
            return false;
        }
        if (signInForm.matches(request) || request.getSession(false) != null) {
            return true;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        boolean fromAnotherSite = site != null && !OWN_SITE.contains(site);
        return fromAnotherSite && request.getHeader(HttpHeaders.AUTHORIZATION) != null;
    }
}
