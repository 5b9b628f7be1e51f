package dev.captioner.security;

import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.captioner.config.CaptionerProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Failed HTTP Basic logins through the real security chain: the fifth in a row from one address locks that address
 * out (429, Retry-After), even for the right password, and no other address. The lockouts are an hour here, so
 * nothing depends on how fast the requests run; their expiry and doubling are {@link FailedLoginsTest}'s.
 */
@WebMvcTest(LoginThrottleTest.AdminPing.class)
@EnableConfigurationProperties(CaptionerProperties.class)
@Import({SecurityConfiguration.class, LoginThrottleTest.AdminPing.class})
@TestPropertySource(properties = {"captioner.admin.user=boss", "captioner.admin.password=s3cret",
        "captioner.admin.login-throttle.first-lockout=1h", "captioner.admin.login-throttle.max-lockout=2h"})
class LoginThrottleTest {

    @RestController
    static class AdminPing {
        @GetMapping("/admin/ping")
        String ping() {
            return "pong";
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void fiveFailuresInARowLockTheAddressOutWithA429ProblemAndRetryAfter() throws Exception {
        for (int i = 0; i < 5; i++) {
            mvc.perform(ping("10.0.1.1", "wrong")).andExpect(status().isUnauthorized());
        }
        mvc.perform(ping("10.0.1.1", "s3cret"))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string("Retry-After", "3600"))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:too-many-failed-logins"))
                .andExpect(jsonPath("$.status").value(429))
                .andExpect(jsonPath("$.detail").value(matchesPattern("too many failed logins from this address: "
                        + "try again in 3600 seconds")));
        mvc.perform(ping("10.0.1.1", "wrong")).andExpect(status().isTooManyRequests());
        // another client is not locked out, and a request without credentials is answered as before
        mvc.perform(ping("10.0.1.2", "s3cret")).andExpect(status().isOk());
        mvc.perform(get("/admin/ping").with(from("10.0.1.1"))).andExpect(status().isUnauthorized());
    }

    @Test
    void aSuccessfulLoginStartsTheCountAgain() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                mvc.perform(ping("10.0.2.1", "wrong")).andExpect(status().isUnauthorized());
            }
            mvc.perform(ping("10.0.2.1", "s3cret")).andExpect(status().isOk());
        }
    }

    @Test
    void anUnknownUserCountsAsAFailureToo() throws Exception {
        for (int i = 0; i < 5; i++) {
            mvc.perform(get("/admin/ping").with(from("10.0.3.1")).with(httpBasic("user" + i, "s3cret")))
                    .andExpect(status().isUnauthorized());
        }
        mvc.perform(ping("10.0.3.1", "s3cret")).andExpect(status().isTooManyRequests());
    }

    private static MockHttpServletRequestBuilder ping(String client, String password) {
        return get("/admin/ping").with(from(client)).with(httpBasic("boss", password));
    }

    private static RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }
}
