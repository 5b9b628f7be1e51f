package dev.captioner.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;

class MultipartUploadTest {

    private static final String BOUNDARY = "b0undary";
    private final MultipartUpload upload = new MultipartUpload(4, 512);

    @Test
    void takesTheFileAndStreamsPastNothingElse() throws Exception {
        byte[] file = upload.file(request(part("image", "PNGDATA") + end()), "image", 100, "image-too-large");
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).isEqualTo("PNGDATA");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "too many parts    | 400 | multipart-too-many-parts         | more than 4 parts",
            "long part headers | 400 | multipart-part-headers-too-large | more than 512 bytes of headers",
            "another field     | 400 | multipart-unexpected-field       | not 'mode'",
            "no file field     | 400 | multipart-field-missing          | no field 'image'",
            "cut short         | 400 | invalid-multipart                | ends before its closing boundary",
            "file too large    | 413 | image-too-large                  | over the limit of 100 bytes"})
    void refusesInWords(String what, int status, String type, String detail) {
        String body = switch (what) {
            case "too many parts" -> part("a", "1") + part("b", "2") + part("c", "3") + part("d", "4")
                    + part("image", "x") + end();
            case "long part headers" -> "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"\r\nX-Pad: "
                    + "p".repeat(600) + "\r\n\r\nx\r\n" + end();
            case "another field" -> part("image", "x") + part("mode", "greedy") + end();
            case "no file field" -> end();
            case "cut short" -> part("image", "x").substring(0, 60);
            case "file too large" -> part("image", "z".repeat(101)) + end();
            default -> throw new IllegalArgumentException(what);
        };
        assertThatThrownBy(() -> upload.file(request(body), "image", 100, "image-too-large"))
                .isInstanceOfSatisfying(UploadRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.type()).isEqualTo(type);
                    assertThat(e.getMessage()).contains(detail).doesNotContain("Exception");
                });
    }

    @Test
    void aContentTypeWithoutBoundaryIs400() {
        MockHttpServletRequest request = request(part("image", "x") + end());
        request.setContentType("multipart/form-data");
        assertThatThrownBy(() -> upload.file(request, "image", 100, "image-too-large"))
                .isInstanceOfSatisfying(UploadRejectedException.class,
                        e -> assertThat(e.getMessage()).contains("no boundary parameter"));
    }

    private static String part(String name, String content) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"f\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + content + "\r\n";
    }

    private static String end() {
        return "--" + BOUNDARY + "--\r\n";
    }

    private static MockHttpServletRequest request(String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/captions");
        request.setContentType("multipart/form-data; boundary=" + BOUNDARY);
        request.setContent(body.getBytes(StandardCharsets.ISO_8859_1));
        return request;
    }
}
