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

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.language.CaptionOptions;
import dev.captioner.language.Captioner;
import dev.captioner.security.SecurityConfiguration;
import dev.captioner.serving.CaptionOutcome;
import dev.captioner.serving.CaptionResult;
import dev.captioner.serving.CaptionService;
import dev.captioner.serving.NoAttentionException;
import dev.captioner.serving.ServiceBusyException;
import dev.captioner.vision.ImageRejectedException;
import org.hamcrest.Matchers;
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

/**
 * The batch endpoint's shape: one entry per image part, in order, each the captions or the problem that image alone
 * gets. The service is a stand-in that refuses images by their first byte the way the decoder does; the real
 * decoder's refusals of real files are in {@code e2e.CaptionBatchEndToEndTest}.
 */
@WebMvcTest(CaptionBatchController.class)
@EnableConfigurationProperties(CaptionerProperties.class)
@Import(SecurityConfiguration.class)
class CaptionBatchControllerTest {

    private static final String PATH = "/api/v1/captions:batch";
    private static final String BOUNDARY = "----captioner-batch-3a9c";
    private static final String MULTIPART = "multipart/form-data; boundary=" + BOUNDARY;
    private static final byte GOOD = 1;
    private static final byte NOT_AN_IMAGE = 2;
    private static final byte CORRUPT = 3;
    private static final byte TOO_MANY_PIXELS = 4;

    @Autowired
    MockMvc mvc;

    @MockitoBean
    CaptionService captionService;

    private static CaptionResult result(String text) {
        return new CaptionResult(List.of(new Captioner.Caption(text, List.of(text.split(" ")), -0.4, Math.exp(-0.4),
                true)), "demo", "vgg16/random:42", 1, 300, 12);
    }

    /** Answers every image as the decoder would: by its first byte. */
    private void serviceRefusesByFirstByte() {
        when(captionService.captionEach(any(), any())).thenAnswer(call -> {
            List<byte[]> images = call.getArgument(0);
            return images.stream().map(bytes -> switch (bytes[0]) {
                case NOT_AN_IMAGE -> CaptionOutcome.rejected(new ImageRejectedException(
                        ImageRejectedException.Reason.NOT_AN_IMAGE, "the data is not an image in a known format"));
                case CORRUPT -> CaptionOutcome.rejected(new ImageRejectedException(
                        ImageRejectedException.Reason.CORRUPT, "the PNG image is truncated"));
                case TOO_MANY_PIXELS -> CaptionOutcome.rejected(new ImageRejectedException(
                        ImageRejectedException.Reason.TOO_MANY_PIXELS, "the image declares 100000x100000 pixels"));
                default -> CaptionOutcome.captioned(result("a red circle " + bytes.length));
            }).toList();
        });
    }

    @Test
    void everyImageGetsItsOwnResultInOrder() throws Exception {
        serviceRefusesByFirstByte();
        byte[] oversized = new byte[10 * 1024 * 1024 + 1];
        oversized[0] = GOOD;
        byte[] body = form(
                new Part("good.png", new byte[] {GOOD, 0}),
                new Part("notes.txt", new byte[] {NOT_AN_IMAGE}),
                new Part("huge.png", oversized),
                new Part("broken.png", new byte[] {CORRUPT}),
                new Part(null, new byte[] {TOO_MANY_PIXELS}),
                new Part("second.png", new byte[] {GOOD, 0, 0}));
        mvc.perform(post(PATH + "?alternatives=1").contentType(MULTIPART).content(body))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.results.length()").value(6))
                .andExpect(jsonPath("$.results[0].filename").value("good.png"))
                .andExpect(jsonPath("$.results[0].captions[0].text").value("a red circle 2"))
                .andExpect(jsonPath("$.results[0].model.id").value("demo"))
                .andExpect(jsonPath("$.results[0].timingsMs.encode").value(300))
                .andExpect(jsonPath("$.results[0].problem").doesNotExist())
                .andExpect(jsonPath("$.results[1].filename").value("notes.txt"))
                .andExpect(jsonPath("$.results[1].captions").doesNotExist())
                .andExpect(jsonPath("$.results[1].problem.type").value("urn:captioner:problem:image-not-an-image"))
                .andExpect(jsonPath("$.results[1].problem.status").value(400))
                .andExpect(jsonPath("$.results[1].problem.title").value("Bad Request"))
                .andExpect(jsonPath("$.results[1].problem.detail").value("the data is not an image in a known format"))
                .andExpect(jsonPath("$.results[2].filename").value("huge.png"))
                .andExpect(jsonPath("$.results[2].problem.type").value("urn:captioner:problem:image-too-large"))
                .andExpect(jsonPath("$.results[2].problem.status").value(413))
                .andExpect(jsonPath("$.results[2].problem.detail").value(Matchers.containsString("10485760 bytes")))
                .andExpect(jsonPath("$.results[3].problem.type").value("urn:captioner:problem:image-corrupt"))
                .andExpect(jsonPath("$.results[4].filename").doesNotExist())
                .andExpect(jsonPath("$.results[4].problem.type").value("urn:captioner:problem:image-too-many-pixels"))
                .andExpect(jsonPath("$.results[4].problem.status").value(422))
                .andExpect(jsonPath("$.results[5].filename").value("second.png"))
                .andExpect(jsonPath("$.results[5].captions[0].text").value("a red circle 3"));
        // the oversized part never reaches the service; the others do, in order, with the request's options
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<byte[]>> images = ArgumentCaptor.forClass(List.class);
        ArgumentCaptor<CaptionOptions> options = ArgumentCaptor.forClass(CaptionOptions.class);
        verify(captionService).captionEach(images.capture(), options.capture());
        assertThat(images.getValue()).extracting(bytes -> bytes[0])
                .containsExactly(GOOD, NOT_AN_IMAGE, CORRUPT, TOO_MANY_PIXELS, GOOD);
        assertThat(options.getValue().alternatives()).isEqualTo(1);
    }

    @Test
    void moreImagesThanTheSettingIs400() throws Exception {
        Part[] nine = new Part[9];
        for (int i = 0; i < nine.length; i++) {
            nine[i] = new Part("p" + i + ".png", new byte[] {GOOD});
        }
        mvc.perform(post(PATH).contentType(MULTIPART).content(form(nine)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:too-many-images"))
                .andExpect(jsonPath("$.detail").value("the multipart body has more than 8 fields 'image'"));
        verify(captionService, never()).captionEach(any(), any());
    }

    @Test
    void eightImagesAreAllowed() throws Exception {
        serviceRefusesByFirstByte();
        Part[] eight = new Part[8];
        for (int i = 0; i < eight.length; i++) {
            eight[i] = new Part("p" + i + ".png", new byte[] {GOOD});
        }
        mvc.perform(post(PATH).contentType(MULTIPART).content(form(eight)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.results.length()").value(8))
                .andExpect(jsonPath("$.results[7].filename").value("p7.png"));
    }

    @ParameterizedTest
    @CsvSource({"alternatives=11, alternatives", "beamSize=0, beamSize", "lengthPenalty=long, lengthPenalty",
            "mode=greedy&lengthPenalty=gnmt, lengthPenalty"})
    void badOptionsAre400NamingTheParameter(String query, String parameter) throws Exception {
        mvc.perform(post(PATH + "?" + query).contentType(MULTIPART).content(form(new Part("a.png", new byte[] {GOOD}))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:invalid-parameter"))
                .andExpect(jsonPath("$.detail").value(Matchers.containsString(parameter)));
        verify(captionService, never()).captionEach(any(), any());
    }

    @Test
    void aRequestWithoutImagesOrWithOtherFieldsIs400() throws Exception {
        String other = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nbeam\r\n--"
                + BOUNDARY + "--\r\n";
        mvc.perform(post(PATH).contentType(MULTIPART).content(other))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:multipart-unexpected-field"));
        mvc.perform(post(PATH).contentType(MULTIPART).content("--" + BOUNDARY + "--\r\n"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:multipart-field-missing"));
        mvc.perform(post(PATH).contentType("image/png").content(new byte[] {GOOD}))
                .andExpect(status().isUnsupportedMediaType());
        verify(captionService, never()).captionEach(any(), any());
    }

    @Test
    void aBusyServiceRefusesTheWholeBatch() throws Exception {
        when(captionService.captionEach(any(), any())).thenThrow(new ServiceBusyException(
                ServiceBusyException.Reason.QUEUE_FULL, "the service is busy: 30 images are waiting; try again shortly", 1));
        mvc.perform(post(PATH).contentType(MULTIPART).content(form(new Part("a.png", new byte[] {GOOD}),
                        new Part("b.png", new byte[] {GOOD}))))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:busy"));
    }

    @Test
    void attentionWithoutAnAttentionModelRefusesTheWholeBatch() throws Exception {
        when(captionService.captionEach(any(), any())).thenThrow(new NoAttentionException("the active model has no attention"));
        mvc.perform(post(PATH + "?attention=true").contentType(MULTIPART).content(form(new Part("a.png", new byte[] {GOOD}))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:no-attention"));
    }

    private record Part(String filename, byte[] bytes) {
    }

    /** A multipart body with one 'image' field per part, byte for byte as curl sends it. */
    private static byte[] form(Part... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Part part : parts) {
            String disposition = "form-data; name=\"image\"" + (part.filename() == null ? "" : "; filename=\"" + part.filename() + "\"");
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: " + disposition
                    + "\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(part.bytes());
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }
}
