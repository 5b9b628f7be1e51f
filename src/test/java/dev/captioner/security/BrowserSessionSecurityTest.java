package dev.captioner.security;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.cookie;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.servlet.http.Cookie;

import dev.captioner.config.CaptionerProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The two ways in through the real security chain: the admin pages sign in with a form and then use a session whose
 * state-changing requests need the CSRF token; scripts send HTTP Basic credentials, need no token and never get a
 * session. Pages asked for without a session go to the sign-in form; the JSON API answers 401 problems.
 */
@WebMvcTest(BrowserSessionSecurityTest.Admin.class)
@EnableConfigurationProperties(CaptionerProperties.class)
@Import({SecurityConfiguration.class, BrowserSessionSecurityTest.Admin.class})
@TestPropertySource(properties = {"captioner.admin.user=boss", "captioner.admin.password=s3cret",
        "captioner.admin.login-throttle.first-lockout=1h", "captioner.admin.login-throttle.max-lockout=2h"})
class BrowserSessionSecurityTest {

    @RestController
    static class Admin {
        @GetMapping("/admin/ping")
        String ping() {
            return "pong";
        }

        @PostMapping("/admin/poke")
        String poke() {
            return "poked";
        }

        @GetMapping("/admin/ui/page")
        String page() {
            return "a page";
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void signingInNeedsTheCsrfTokenAndGivesASessionThatChangesThingsOnlyWithIt() throws Exception {
        Cookie token = csrfCookie();
        mvc.perform(post("/admin/ui/login").param("username", "boss").param("password", "s3cret"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:csrf-token-missing"));
        mvc.perform(post("/admin/ui/login").cookie(token).header("X-XSRF-TOKEN", token.getValue())
                        .param("username", "boss").param("password", "wrong"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:sign-in-failed"));

        MvcResult signedIn = mvc.perform(post("/admin/ui/login").cookie(token).header("X-XSRF-TOKEN", token.getValue())
                        .param("username", "boss").param("password", "s3cret"))
                .andExpect(status().isNoContent())
                .andReturn();
        MockHttpSession session = (MockHttpSession) signedIn.getRequest().getSession(false);
        mvc.perform(get("/admin/ping").session(session)).andExpect(status().isOk());
        // the token changes at sign-in; the new one comes with the next page
        Cookie fresh = mvc.perform(get("/admin/ui/page").session(session)).andExpect(status().isOk())
                .andReturn().getResponse().getCookie("XSRF-TOKEN");
        mvc.perform(post("/admin/poke").session(session))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:csrf-token-missing"));
        mvc.perform(post("/admin/poke").session(session).cookie(fresh).header("X-XSRF-TOKEN", "forged"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/admin/poke").session(session).cookie(fresh).header("X-XSRF-TOKEN", fresh.getValue()))
                .andExpect(status().isOk());

        mvc.perform(post("/admin/ui/logout").session(session).cookie(fresh).header("X-XSRF-TOKEN", fresh.getValue()))
                .andExpect(status().isNoContent());
        mvc.perform(get("/admin/ping").session(session).header("X-Requested-With", "XMLHttpRequest"))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void scriptsWithBasicNeedNoTokenAndGetNoSessionUnlessABrowserSendsThemFromAnotherSite() throws Exception {
        mvc.perform(post("/admin/poke").with(httpBasic("boss", "s3cret")))
                .andExpect(status().isOk())
                .andExpect(request().sessionAttributeDoesNotExist("SPRING_SECURITY_CONTEXT"))
                .andExpect(cookie().doesNotExist("XSRF-TOKEN"));
        MvcResult basic = mvc.perform(get("/admin/ping").with(httpBasic("boss", "s3cret"))).andReturn();
        org.assertj.core.api.Assertions.assertThat(basic.getRequest().getSession(false)).as("no session").isNull();
        // remembered Basic credentials a browser adds to another site's form post: refused
        mvc.perform(post("/admin/poke").with(httpBasic("boss", "s3cret")).header("Sec-Fetch-Site", "cross-site"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/admin/poke").with(httpBasic("boss", "s3cret")).header("Sec-Fetch-Site", "same-origin"))
                .andExpect(status().isOk());
        // no credentials at all: nothing to forge, the answer is the 401 with the Basic challenge
        mvc.perform(post("/admin/poke"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", containsString("Basic")));
    }

    @Test
    void pagesWithoutASessionGoToTheSignInFormAndThePagesCallsGetNoPasswordPrompt() throws Exception {
        mvc.perform(get("/admin/ui/page").queryParam("id", "3"))
                .andExpect(status().isFound())
                .andExpect(header().string("Location", "/admin/ui/login?next=%2Fadmin%2Fui%2Fpage%3Fid%3D3"));
        mvc.perform(get("/admin/ping").header("X-Requested-With", "XMLHttpRequest"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().doesNotExist("WWW-Authenticate"))
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:unauthorized"));
        mvc.perform(get("/admin/ui/page"))
                .andExpect(header().string("Content-Security-Policy", containsString("default-src 'self'")));
    }

    @Test
    void theSignInFormIsThrottledLikeBasic() throws Exception {
        Cookie token = csrfCookie();
        for (int i = 0; i < 5; i++) {
            mvc.perform(post("/admin/ui/login").with(from("10.0.9.1")).cookie(token)
                            .header("X-XSRF-TOKEN", token.getValue()).param("username", "boss").param("password", "no"))
                    .andExpect(status().isUnauthorized());
        }
        mvc.perform(post("/admin/ui/login").with(from("10.0.9.1")).cookie(token)
                        .header("X-XSRF-TOKEN", token.getValue()).param("username", "boss").param("password", "s3cret"))
                .andExpect(status().isTooManyRequests())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:too-many-failed-logins"));
    }

    /** What the sign-in page's GET sets: the token cookie the page's script sends back. */
    private Cookie csrfCookie() throws Exception {
        return mvc.perform(get("/admin/ui/login")).andReturn().getResponse().getCookie("XSRF-TOKEN");
    }

    private static org.springframework.test.web.servlet.request.RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }
}
