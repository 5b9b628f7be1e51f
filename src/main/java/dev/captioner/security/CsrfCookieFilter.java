package dev.captioner.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Loads the CSRF token when an admin page is requested, so that its cookie ({@code XSRF-TOKEN}) is set before the
 * page's scripts need it: Spring Security only writes the token when something reads it, and static pages never do.
 * Other responses (the JSON API's) get no cookie.
 */
final class CsrfCookieFilter extends OncePerRequestFilter {

    private final RequestMatcher pages;

    CsrfCookieFilter(RequestMatcher pages) {
        this.pages = pages;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (pages.matches(request) && request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            token.getToken();
        }
        chain.doFilter(request, response);
    }
}
