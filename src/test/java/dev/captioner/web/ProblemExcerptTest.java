package dev.captioner.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.config.Excerpt;
import dev.captioner.security.SecurityConfiguration;
import dev.captioner.serving.CaptionService;
import dev.captioner.serving.ModelRuntime;
import dev.captioner.store.ModelStore;
import dev.captioner.training.job.TrainingJobViews;
import dev.captioner.training.job.TrainingJobs;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A problem detail that quotes the client's input quotes an excerpt of it (200 characters, then "..."), however
 * much was sent: a 5 MB field name, value, parameter or path comes back as a few hundred bytes.
 */
@WebMvcTest({TrainingJobController.class, ModelAdminController.class, CaptionController.class})
@EnableConfigurationProperties(CaptionerProperties.class)
@Import(SecurityConfiguration.class)
@TestPropertySource(properties = {"captioner.admin.user=boss", "captioner.admin.password=s3cret"})
class ProblemExcerptTest {

    /** 5 MB that end in a marker, so a test can tell the whole input from an excerpt of it. */
    private static final String HUGE = "x".repeat(5 * 1024 * 1024) + "END";
    /** As long as a path or a JSON name gets: Tomcat takes 8 KB of request line and headers, Jackson 50,000-character names. */
    private static final String LONG = "x".repeat(8000) + "END";
    private static final String EXCERPT = "x".repeat(200) + "...";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MockMvc mvc;

    @MockitoBean
    TrainingJobs jobs;

    @MockitoBean
    TrainingJobViews views;

    @MockitoBean
    ModelStore store;

    @MockitoBean
    ModelRuntime runtime;

    @MockitoBean
    CaptionService captionService;

    @Test
    void anUnknownJsonFieldNameIsQuotedAsAnExcerpt() throws Exception {
        assertExcerpted(job("{\"" + LONG + "\":1}"), 400, "invalid-job-request", "unknown field(s) [" + "x".repeat(199) + "...");
    }

    @Test
    void aJsonValueOfTheWrongTypeIsQuotedAsAnExcerpt() throws Exception {
        assertExcerpted(job("{\"dataset\":\"" + HUGE + "\"}"),
                400, "invalid-job-request", "'dataset' must be an object (got \"" + "x".repeat(190));
    }

    @Test
    void anUnknownModelIdIsQuotedAsAnExcerpt() throws Exception {
        assertExcerpted(get("/admin/models/" + LONG).with(httpBasic("boss", "s3cret")), 404, "no-such-model",
                "no model '" + EXCERPT + "'");
    }

    @Test
    void aPathVariableOrQueryParameterThatIsNotANumberIsQuotedAsAnExcerptInWords() throws Exception {
        assertExcerpted(get("/admin/training-jobs/" + LONG).with(httpBasic("boss", "s3cret")), 400, "http-400",
                "'id' is not a whole number (got " + EXCERPT + ")");
        assertExcerpted(get("/admin/training-jobs").param("limit", HUGE).with(httpBasic("boss", "s3cret")), 400,
                "http-400", "'limit' is not a whole number (got " + EXCERPT + ")");
    }

    @Test
    void captionOptionsOutsideTheirRangeOrNotNumbersAreQuotedAsExcerpts() throws Exception {
        assertExcerpted(caption().param("mode", HUGE), 400, "invalid-parameter",
                "'mode' must be beam, greedy or sample (got " + EXCERPT + ")");
        assertExcerpted(caption().param("beamSize", HUGE), 400, "invalid-parameter",
                "'beamSize' is not a whole number (got " + EXCERPT + ")");
        assertExcerpted(caption().param("temperature", HUGE), 400, "invalid-parameter",
                "'temperature' is not a number (got " + EXCERPT + ")");
    }

    @Test
    void anUnsupportedContentTypeIsQuotedAsAnExcerpt() throws Exception {
        assertExcerpted(post("/api/v1/captions").contentType("text/" + LONG).content(new byte[] {1}), 415, "http-415",
                "Content-Type 'text/" + "x".repeat(195) + "...' is not supported.");
    }

    @Test
    void anUnknownPathIsNotQuotedInTheDetail() throws Exception {
        assertExcerpted(get("/nothing/" + LONG), 404, "http-404", "no resource at this path");
    }

    @Test
    void aMultipartFieldOtherThanTheImageIsQuotedAsAnExcerpt() throws Exception {
        String boundary = "----excerpt";
        byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + "x".repeat(6000) + "END\""
                + "\r\n\r\nvalue\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        assertExcerpted(post("/api/v1/captions").contentType("multipart/form-data; boundary=" + boundary).content(body),
                400, "multipart-unexpected-field", "not '" + EXCERPT + "'");
    }

    private void assertExcerpted(MockHttpServletRequestBuilder request, int status, String type, String detailPart)
            throws Exception {
        var response = mvc.perform(request).andReturn().getResponse();
        String body = response.getContentAsString();
        assertThat(response.getStatus()).as(body.length() > 2000 ? body.substring(0, 2000) : body).isEqualTo(status);
        JsonNode problem = JSON.readTree(body);
        // the instance is the request's path, as long as the request line may be
        assertThat(body.length() - problem.path("instance").asString().length()).as("problem body length")
                .isLessThan(1000);
        assertThat(problem.get("type").asString()).isEqualTo("urn:captioner:problem:" + type);
        String detail = problem.get("detail").asString();
        assertThat(detail).contains(detailPart).doesNotContain("END").doesNotContain("java.");
        assertThat(detail.length()).isLessThan(Excerpt.MAX_CHARACTERS + 500);
    }

    private MockHttpServletRequestBuilder job(String json) {
        return post("/admin/training-jobs").with(httpBasic("boss", "s3cret")).contentType(MediaType.APPLICATION_JSON)
                .content(json);
    }

    private static MockHttpServletRequestBuilder caption() {
        return post("/api/v1/captions").contentType("image/png").content(new byte[] {1});
    }
}
