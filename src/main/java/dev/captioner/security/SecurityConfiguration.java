package dev.captioner.security;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.problem.ProblemWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.logout.HttpStatusReturningLogoutSuccessHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin API ({@code /admin/**}) and actuator endpoints other than health and info need the admin user (the
 * Prometheus scrape too, unless {@code captioner.metrics.public-scrape} opens it); captioning,
 * the pages' assets, health and the API description stay public. Scripts send HTTP Basic credentials with every
 * request and get no session. The admin pages ({@code /admin/ui/**}) sign in with a form instead and then use a
 * browser session, whose state-changing requests must carry the CSRF token ({@link CsrfRequirement}; the token
 * travels as the {@code XSRF-TOKEN} cookie, sent back in the {@code X-XSRF-TOKEN} header). Failures are RFC 9457
 * problems like every other error. A client address that keeps failing to log in is throttled ({@link FailedLogins}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    static final String ADMIN = "ADMIN";
    static final String SIGN_IN_PAGE = "/admin/ui/login";
    static final String PROMETHEUS_SCRAPE = "/actuator/prometheus";
    private static final String PBKDF2 = "pbkdf2@SpringSecurity_v5_8";
    /**
     * PBKDF2 rather than Spring's default bcrypt, which refuses passwords over 72 bytes (and would ignore the
     * rest): any length works, at about bcrypt's cost per check. The {@code {pbkdf2@SpringSecurity_v5_8}} prefix
     * it writes is one Spring Security's default delegating checker knows.
     */
    private static final PasswordEncoder ADMIN_PASSWORD_HASH = new DelegatingPasswordEncoder(PBKDF2,
            Map.of(PBKDF2, Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
    /** The pages' scripts mark their calls, so that a lapsed session gets a 401 without the browser's Basic prompt. */
    private static final String PAGE_CALL_HEADER = "X-Requested-With";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, JsonMapper json, FailedLogins failedLogins,
                                            CaptionerProperties properties) throws Exception {
        ProblemWriter problems = new ProblemWriter(json);
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        RequestMatcher pages = paths.matcher("/admin/ui/**");
        RequestMatcher signInForm = paths.matcher(HttpMethod.POST, SIGN_IN_PAGE);
        AuthenticationEntryPoint unauthorized = (request, response, e) -> {
            if (pages.matches(request) && request.getHeader(PAGE_CALL_HEADER) == null) {
                response.sendRedirect(SIGN_IN_PAGE + "?next=" + URLEncoder.encode(pathAndQuery(request),
                        StandardCharsets.UTF_8));
                return;
            }
            if (request.getHeader(PAGE_CALL_HEADER) == null) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"captioner admin\"");
            }
            problems.write(request, response, 401, "unauthorized",
                    "admin credentials are missing or wrong (HTTP Basic, or sign in at " + SIGN_IN_PAGE + ")");
        };
        http.authorizeHttpRequests(requests -> {
                    requests.requestMatchers(SIGN_IN_PAGE, SIGN_IN_PAGE + ".html").permitAll()
                            .requestMatchers("/admin/**").hasRole(ADMIN)
                            .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll();
                    if (properties.metrics().publicScrape()) {
                        // for a Prometheus that cannot send the admin's password, where the operator allows it
                        requests.requestMatchers(PROMETHEUS_SCRAPE).permitAll();
                    }
                    requests.requestMatchers("/actuator/**").hasRole(ADMIN)
                            .anyRequest().permitAll();
                })
                .httpBasic(basic -> basic
                        .authenticationEntryPoint(unauthorized)
                        // a script's credentials hold for its one request: kept in the session, they would give
                        // every script a session cookie, and the CSRF rules for ambient credentials
                        .withObjectPostProcessor(new ObjectPostProcessor<BasicAuthenticationFilter>() {
                            @Override
                            public <O extends BasicAuthenticationFilter> O postProcess(O filter) {
                                filter.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());
                                return filter;
                            }
                        }))
                .formLogin(form -> form
                        .loginPage(SIGN_IN_PAGE)
                        .loginProcessingUrl(SIGN_IN_PAGE)
                        // the sign-in page posts with fetch and goes where it was headed itself
                        .successHandler((request, response, authentication) ->
                                response.setStatus(HttpStatus.NO_CONTENT.value()))
                        .failureHandler((request, response, e) -> problems.write(request, response, 401,
                                "sign-in-failed", "wrong user name or password")))
                .logout(logout -> logout
                        .logoutRequestMatcher(paths.matcher(HttpMethod.POST, "/admin/ui/logout"))
                        .logoutSuccessHandler(new HttpStatusReturningLogoutSuccessHandler(HttpStatus.NO_CONTENT)))
                // before both ways of logging in (the form's filter runs before Basic's)
                .addFilterBefore(new LoginThrottleFilter(failedLogins, problems, signInForm),
                        UsernamePasswordAuthenticationFilter.class)
                .csrf(csrf -> csrf
                        .csrfTokenRepository(csrfCookie())
                        // the token is only ever sent in a cookie, never rendered into a page, so BREACH's
                        // masking is not needed: the header and the form field carry the cookie's value as it is
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .requireCsrfProtectionMatcher(new CsrfRequirement(signInForm)))
                .addFilterAfter(new CsrfCookieFilter(pages), CsrfFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler((request, response, e) -> {
                            if (e instanceof CsrfException) {
                                problems.write(request, response, 403, "csrf-token-missing", "this request needs "
                                        + "the CSRF token of the signed-in session (the XSRF-TOKEN cookie's value in "
                                        + "the X-XSRF-TOKEN header); scripts send HTTP Basic credentials instead");
                            } else {
                                problems.write(request, response, 403, "forbidden", "this user may not do that");
                            }
                        }))
                // sign-in redirects carry where the user was headed (?next=), so no request is kept in the session
                .requestCache(cache -> cache.requestCache(new NullRequestCache()))
                // sessions as needed (the default policy), but only the sign-in form makes one: with the explicit
                // strategy no filter stores a Basic login in a new session after the fact
                .sessionManagement(session -> session.requireExplicitAuthenticationStrategy(true))
                .headers(headers -> headers.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                        new OrRequestMatcher(pages, paths.matcher("/"), paths.matcher("/index.html")),
                        new StaticHeadersWriter("Content-Security-Policy", PAGE_POLICY))));
        return http.build();
    }

    /** The pages load only their own scripts, styles and images (previews are blob: URLs). */
    private static final String PAGE_POLICY = "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static CookieCsrfTokenRepository csrfCookie() {
        // readable by the pages' scripts, which send it back as a header; Strict: never sent from another site
        CookieCsrfTokenRepository repository = CookieCsrfTokenRepository.withHttpOnlyFalse();
        repository.setCookieCustomizer(cookie -> cookie.sameSite("Strict").path("/"));
        return repository;
    }

    private static String pathAndQuery(HttpServletRequest request) {
        String query = request.getQueryString();
        return request.getRequestURI() + (query == null ? "" : "?" + query);
    }

    @Bean
    FailedLogins failedLogins(CaptionerProperties properties) {
        return new FailedLogins(properties.admin().loginThrottle(), Clock.systemUTC());
    }

    /** Spring Boot's authentication event publisher tells it every HTTP Basic success and failure. */
    @Bean
    LoginOutcomeListener loginOutcomeListener(FailedLogins failedLogins) {
        return new LoginOutcomeListener(failedLogins);
    }

    /**
     * A request the firewall refuses ({@code //}, {@code ;jsessionid=}, unknown methods, encoded dots) is a 400
     * problem, not Boot's default error JSON.
     */
    @Bean
    RequestRejectedHandler rejectedRequestProblem(JsonMapper json) {
        ProblemWriter problems = new ProblemWriter(json);
        return (request, response, e) -> problems.write(request, response, 400, "request-rejected",
                "the request's method or path is not accepted (e.g. '//', ';' or an encoded '.' or '/' in the path)");
    }

    @Bean
    UserDetailsService adminUsers(CaptionerProperties properties) {
        CaptionerProperties.Admin admin = properties.admin();
        String password = admin.password();
        if (password == null || password.isBlank()) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            log.warn("CAPTIONER_ADMIN_PASSWORD is not set; generated a password for admin user '{}': {} "
                    + "(it changes at every start; set CAPTIONER_ADMIN_PASSWORD to choose one)", admin.user(), password);
        }
        return new AdminAccount(admin.user(), password, ADMIN, ADMIN_PASSWORD_HASH);
    }
}
