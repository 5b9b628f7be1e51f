package dev.captioner.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.problem.ProblemWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin API ({@code /admin/**}) and actuator endpoints other than health and info need HTTP Basic
 * credentials of the admin user; captioning, health and the API description stay public. Stateless: no
 * session, no cookies, hence no CSRF token. Failures are RFC 9457 problems like every other error. A client
 * address that keeps failing to log in is throttled ({@link FailedLogins}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    static final String ADMIN = "ADMIN";
    private static final String PBKDF2 = "pbkdf2@SpringSecurity_v5_8";
    /**
     * PBKDF2 rather than Spring's default bcrypt, which refuses passwords over 72 bytes (and would ignore the
     * rest): any length works, at about bcrypt's cost per check. The {@code {pbkdf2@SpringSecurity_v5_8}} prefix
     * it writes is one Spring Security's default delegating checker knows.
     */
    private static final PasswordEncoder ADMIN_PASSWORD_HASH = new DelegatingPasswordEncoder(PBKDF2,
            Map.of(PBKDF2, Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8()));

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, JsonMapper json, FailedLogins failedLogins)
            throws Exception {
        ProblemWriter problems = new ProblemWriter(json);
        AuthenticationEntryPoint unauthorized = (request, response, e) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"captioner admin\"");
            problems.write(request, response, 401, "unauthorized", "admin credentials are missing or wrong (HTTP Basic)");
        };
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/admin/**").hasRole(ADMIN)
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/actuator/**").hasRole(ADMIN)
                        .anyRequest().permitAll())
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .addFilterBefore(new LoginThrottleFilter(failedLogins, problems), BasicAuthenticationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler((request, response, e) ->
                                problems.write(request, response, 403, "forbidden", "this user may not do that")))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
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
        return new InMemoryUserDetailsManager(User.withUsername(admin.user())
                .password(ADMIN_PASSWORD_HASH.encode(password))
                .roles(ADMIN)
                .build());
    }
}
