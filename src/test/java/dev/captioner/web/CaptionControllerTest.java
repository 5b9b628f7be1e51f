package dev.captioner.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.language.CaptionOptions;
import dev.captioner.language.Captioner;
import dev.captioner.language.LengthPenalty;
import dev.captioner.security.SecurityConfiguration;
import dev.captioner.serving.CaptionResult;
import dev.captioner.serving.CaptionService;
import dev.captioner.serving.ModelUnavailableException;
import dev.captioner.serving.ServiceBusyException;
import dev.captioner.vision.ImageRejectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(CaptionController.class)
@EnableConfigurationProperties(CaptionerProperties.class)
@Import(SecurityConfiguration.class)
class CaptionControllerTest {

    private static final byte[] BYTES = {1, 2, 3};
    private static final String BOUNDARY = "----captioner-test-7d1f";
    private static final String MULTIPART = "multipart/form-data; boundary=" + BOUNDARY;
    private static final CaptionResult RESULT = new CaptionResult(
            List.of(new Captioner.Caption("a red circle", List.of("a", "red", "circle"), -0.4, Math.exp(-0.4), true)),
            "demo", "vgg16/random:42", 1, 300, 12);

    @Autowired
    MockMvc mvc;

    @MockitoBean
    CaptionService captionService;

    @Test
    void captionsAMultipartUploadWithDefaults() throws Exception {
        when(captionService.caption(any(), any())).thenReturn(RESULT);
        mvc.perform(post("/api/v1/captions").contentType(MULTIPART).content(form("image", BYTES)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.captions[0].text").value("a red circle"))
                .andExpect(jsonPath("$.captions[0].tokens[1]").value("red"))
                .andExpect(jsonPath("$.captions[0].logProbability").value(-0.4))
                .andExpect(jsonPath("$.model.id").value("demo"))
                .andExpect(jsonPath("$.model.encoder").value("vgg16/random:42"))
                .andExpect(jsonPath("$.timingsMs.encode").value(300));
        ArgumentCaptor<CaptionOptions> options = ArgumentCaptor.forClass(CaptionOptions.class);
        verify(captionService).caption(any(), options.capture());
        assertThat(options.getValue()).isEqualTo(new CaptionOptions(CaptionOptions.Mode.BEAM, 3, 1, 1.0, 16, null));
    }

    @Test
    void captionsARawBodyAndPassesOptions() throws Exception {
        when(captionService.caption(any(), any())).thenReturn(RESULT);
        mvc.perform(post("/api/v1/captions?mode=sample&n=4&temperature=0.7&seed=9&maxLength=10")
                        .contentType("image/jpeg").content(BYTES))
                .andExpect(status().isOk());
        ArgumentCaptor<CaptionOptions> options = ArgumentCaptor.forClass(CaptionOptions.class);
        verify(captionService).caption(any(), options.capture());
        assertThat(options.getValue()).isEqualTo(new CaptionOptions(CaptionOptions.Mode.SAMPLE, 3, 4, 0.7, 10, 9L));
    }

    @ParameterizedTest
    @CsvSource({
            "EMPTY, 400", "NOT_AN_IMAGE, 400", "CORRUPT, 400", "UNSUPPORTED_FORMAT, 415", "TOO_MANY_PIXELS, 422"})
    void rejectedImagesBecomeProblemDetails(ImageRejectedException.Reason reason, int status) throws Exception {
        when(captionService.caption(any(), any())).thenThrow(new ImageRejectedException(reason, "because " + reason));
        mvc.perform(post("/api/v1/captions").contentType("image/png").content(BYTES))
                .andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.detail").value("because " + reason));
    }

    @Test
    void theMultipartImageIsCaptioned() throws Exception {
        when(captionService.caption(any(), any())).thenReturn(RESULT);
        mvc.perform(post("/api/v1/captions").contentType(MULTIPART).content(form("image", BYTES)))
                .andExpect(status().isOk());
        ArgumentCaptor<byte[]> image = ArgumentCaptor.forClass(byte[].class);
        verify(captionService).caption(image.capture(), any());
        assertThat(image.getValue()).containsExactly(BYTES);
    }

    @Test
    void anotherFieldThanImageIs400NamingIt() throws Exception {
        mvc.perform(post("/api/v1/captions").contentType(MULTIPART).content(form("picture", BYTES)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:multipart-unexpected-field"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("'picture'")));
        verify(captionService, never()).caption(any(), any());
    }

    @Test
    void tooManyPartsIs400NamingTheCause() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            body.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"f").append(i)
                    .append("\"\r\n\r\nx\r\n");
        }
        body.append("--").append(BOUNDARY).append("--\r\n");
        mvc.perform(post("/api/v1/captions").contentType(MULTIPART).content(body.toString()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:multipart-too-many-parts"))
                .andExpect(jsonPath("$.detail").value("the multipart body has more than 8 parts"));
    }

    @Test
    void anOversizedMultipartImageIs413() throws Exception {
        mvc.perform(post("/api/v1/captions").contentType(MULTIPART).content(form("image", new byte[10 * 1024 * 1024 + 1])))
                .andExpect(status().isContentTooLarge())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:image-too-large"));
        verify(captionService, never()).caption(any(), any());
    }

    /** A multipart body with one file field, byte for byte as a browser or curl sends it. */
    private static byte[] form(String field, byte[] file) {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field
                + "\"; filename=\"x.png\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOf(head, head.length + file.length + tail.length);
        System.arraycopy(file, 0, body, head.length, file.length);
        System.arraycopy(tail, 0, body, head.length + file.length, tail.length);
        return body;
    }

    @Test
    void wrongContentTypeIs415() throws Exception {
        mvc.perform(post("/api/v1/captions").contentType(MediaType.TEXT_PLAIN).content("hello"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(post("/api/v1/captions").contentType(MediaType.APPLICATION_JSON).content("{\"image\":1}"))
                .andExpect(status().isUnsupportedMediaType());
    }

    @Test
    void oversizedRawBodyIs413WithoutCaptioning() throws Exception {
        byte[] big = new byte[10 * 1024 * 1024 + 1];
        mvc.perform(post("/api/v1/captions").contentType("image/png").content(big))
                .andExpect(status().isContentTooLarge())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        verify(captionService, never()).caption(any(), any());
    }

    @ParameterizedTest
    @CsvSource({"mode=fancy", "beamSize=0", "beamSize=500", "n=5", "temperature=0", "temperature=-1", "maxLength=0",
            "maxLength=1000", "mode=greedy&n=2", "beamSize=abc", "alternatives=11", "alternatives=-1", "alternatives=x"})
    void badOptionsAre400(String query) throws Exception {
        String option = query.contains("&") ? "n" : query.substring(0, query.indexOf('='));
        mvc.perform(post("/api/v1/captions?" + query).contentType("image/png").content(BYTES))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(option)));
        verify(captionService, never()).caption(any(), any());
    }

    @ParameterizedTest
    @CsvSource({"lengthPenalty=fancy, lengthPenalty", "lengthPenalty=gnmt&lengthPenaltyAlpha=2.5, lengthPenaltyAlpha",
            "lengthPenalty=gnmt&lengthPenaltyAlpha=-0.1, lengthPenaltyAlpha",
            "lengthPenaltyAlpha=0.5, lengthPenaltyAlpha", "lengthPenalty=average&lengthPenaltyAlpha=0.5, lengthPenaltyAlpha",
            "mode=greedy&lengthPenalty=gnmt, lengthPenalty", "mode=sample&lengthPenalty=average, lengthPenalty",
            "blockRepeatedTrigrams=maybe, blockRepeatedTrigrams"})
    void badRankingOptionsAre400NamingTheParameter(String query, String parameter) throws Exception {
        mvc.perform(post("/api/v1/captions?" + query).contentType("image/png").content(BYTES))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:invalid-parameter"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(parameter)));
        verify(captionService, never()).caption(any(), any());
    }

    @ParameterizedTest
    @CsvSource({"'', NONE, 0, false", "lengthPenalty=gnmt, GNMT, 0.6, false",
            "lengthPenalty=GNMT&lengthPenaltyAlpha=1.25, GNMT, 1.25, false", "lengthPenalty=average, AVERAGE, 0, false",
            "lengthPenalty=none&blockRepeatedTrigrams=true, NONE, 0, true",
            "mode=sample&blockRepeatedTrigrams=true, NONE, 0, true"})
    void rankingOptionsReachTheCaptioner(String query, LengthPenalty.Kind kind, double alpha, boolean guard)
            throws Exception {
        when(captionService.caption(any(), any())).thenReturn(RESULT);
        mvc.perform(post("/api/v1/captions?" + query).contentType("image/png").content(BYTES))
                .andExpect(status().isOk());
        ArgumentCaptor<CaptionOptions> options = ArgumentCaptor.forClass(CaptionOptions.class);
        verify(captionService).caption(any(), options.capture());
        assertThat(options.getValue().lengthPenalty()).isEqualTo(new LengthPenalty(kind, alpha));
        assertThat(options.getValue().blockRepeatedTrigrams()).isEqualTo(guard);
    }

    @Test
    void everyTokenGivesItsLogProbabilityAndAlternativesWhenAsked() throws Exception {
        Captioner.Caption caption = new Captioner.Caption("a red circle", List.of("a", "red", "circle"), -0.9,
                Math.exp(-0.9), true, null, List.of(-0.1, -0.3, -0.4), -0.1, List.of(
                List.of(new Captioner.Alternative("one", -2.5), new Captioner.Alternative("<end>", -3.0)),
                List.of(new Captioner.Alternative("blue", -1.6), new Captioner.Alternative("green", -2.2)),
                List.of(new Captioner.Alternative("square", -1.2), new Captioner.Alternative("circles", -4.0))));
        when(captionService.caption(any(), any()))
                .thenReturn(new CaptionResult(List.of(caption), "demo", "vgg16/random:42", 1, 300, 12));
        mvc.perform(post("/api/v1/captions?alternatives=2&mode=greedy").contentType("image/png").content(BYTES))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.captions[0].logProbability").value(-0.9))
                .andExpect(jsonPath("$.captions[0].tokenLogProbabilities[1]").value(-0.3))
                .andExpect(jsonPath("$.captions[0].endLogProbability").value(-0.1))
                .andExpect(jsonPath("$.captions[0].alternatives.length()").value(3))
                .andExpect(jsonPath("$.captions[0].alternatives[1][0].word").value("blue"))
                .andExpect(jsonPath("$.captions[0].alternatives[1][0].logProbability").value(-1.6))
                .andExpect(jsonPath("$.captions[0].alternatives[0][1].word").value("<end>"));
        ArgumentCaptor<CaptionOptions> options = ArgumentCaptor.forClass(CaptionOptions.class);
        verify(captionService).caption(any(), options.capture());
        assertThat(options.getValue().alternatives()).isEqualTo(2);
    }

    @Test
    void alternativesAreLeftOutWhenNotAsked() throws Exception {
        Captioner.Caption cut = new Captioner.Caption("a red", List.of("a", "red"), -0.4, Math.exp(-0.4), false, null,
                List.of(-0.1, -0.3), null, null);
        when(captionService.caption(any(), any()))
                .thenReturn(new CaptionResult(List.of(cut), "demo", "vgg16/random:42", 1, 300, 12));
        mvc.perform(post("/api/v1/captions").contentType("image/png").content(BYTES))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.captions[0].tokenLogProbabilities[0]").value(-0.1))
                .andExpect(jsonPath("$.captions[0].endLogProbability").doesNotExist())
                .andExpect(jsonPath("$.captions[0].alternatives").doesNotExist());
        ArgumentCaptor<CaptionOptions> options = ArgumentCaptor.forClass(CaptionOptions.class);
        verify(captionService).caption(any(), options.capture());
        assertThat(options.getValue().alternatives()).isZero();
    }

    @Test
    void noActiveModelIs503WithRetryAfter() throws Exception {
        when(captionService.caption(any(), any())).thenThrow(new ModelUnavailableException("no caption model is active yet"));
        mvc.perform(post("/api/v1/captions").contentType("image/png").content(BYTES))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "10"))
                .andExpect(jsonPath("$.detail").value("no caption model is active yet"));
    }

    @Test
    void aFullEncoderQueueIs503BusyWithRetryAfter() throws Exception {
        when(captionService.caption(any(), any())).thenThrow(
                new ServiceBusyException(ServiceBusyException.Reason.QUEUE_FULL,
                        "the service is busy: 32 images are waiting for the encoder; try again shortly", 1));
        mvc.perform(post("/api/v1/captions").contentType("image/png").content(BYTES))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:busy"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("32 images are waiting")));
    }
}
