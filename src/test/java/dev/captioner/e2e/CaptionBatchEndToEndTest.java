package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

import dev.captioner.TestModels;
import dev.captioner.store.ModelStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/captions:batch} on the real application (Tomcat, the firewall, the body receiver, the real
 * decoder and the seeded VGG16): good images are captioned, and each bad one gets, inside the 200, exactly the
 * problem it gets when sent alone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CaptionBatchEndToEndTest {

    private static final Path MODELS;
    private static final Path DATA;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        try {
            MODELS = Files.createTempDirectory("captioner-e2e-batch-models");
            DATA = Files.createTempDirectory("captioner-e2e-batch-data");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
        ModelStore store = new ModelStore(MODELS);
        store.save(TestModels.untrained("e2e-batch-model", "random:42", 4096, null));
        store.setActive("e2e-batch-model");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("captioner.models-dir", MODELS::toString);
        registry.add("captioner.data-dir", DATA::toString);
        registry.add("captioner.admin.password", () -> RunningService.PASSWORD);
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private record Part(String filename, byte[] bytes) {
    }

    private HttpResponse<String> post(String path, Part... parts) throws Exception {
        String boundary = "----captioner" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Part part : parts) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\""
                    + part.filename() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(part.bytes());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A PNG whose header declares 100,000 x 100,000 pixels, with hardly any data behind it. */
    private static byte[] pixelBomb() {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        png.writeBytes(chunk("IHDR", ByteBuffer.allocate(13).putInt(100_000).putInt(100_000)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array()));
        png.writeBytes(chunk("IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}));
        png.writeBytes(chunk("IEND", new byte[0]));
        return png.toByteArray();
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
                .putInt((int) crc.getValue()).array();
    }

    @Test
    void goodImagesAreCaptionedAndEachBadOneGetsItsOwnProblem() throws Exception {
        byte[] png = ImageBytes.png();
        List<Part> parts = List.of(
                new Part("circle.png", png),
                new Part("corrupt.png", Arrays.copyOf(png, png.length / 2)),
                new Part("bomb.png", pixelBomb()),
                new Part("notes.txt", "a shopping list, not a picture".getBytes(StandardCharsets.UTF_8)),
                new Part("circle.jpg", ImageBytes.jpeg()));
        HttpResponse<String> response = post("/api/v1/captions:batch?alternatives=2", parts.toArray(Part[]::new));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode results = JSON.readTree(response.body()).path("results");
        assertThat(results.size()).isEqualTo(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            assertThat(results.path(i).path("filename").asString()).isEqualTo(parts.get(i).filename());
        }
        for (int good : new int[] {0, 4}) {
            JsonNode entry = results.path(good);
            assertThat(entry.has("problem")).as(entry.toString()).isFalse();
            assertThat(entry.path("model").path("id").asString()).isEqualTo("e2e-batch-model");
            JsonNode caption = entry.path("captions").path(0);
            assertThat(caption.path("tokenLogProbabilities").size()).isEqualTo(caption.path("tokens").size());
            assertThat(caption.path("alternatives").size()).isEqualTo(caption.path("tokens").size());
        }
        assertThat(results.path(1).path("problem").path("type").asString()).isEqualTo("urn:captioner:problem:image-corrupt");
        assertThat(results.path(2).path("problem").path("type").asString())
                .isEqualTo("urn:captioner:problem:image-too-many-pixels");
        assertThat(results.path(3).path("problem").path("type").asString())
                .isEqualTo("urn:captioner:problem:image-not-an-image");
        for (int bad : new int[] {1, 2, 3}) {
            HttpResponse<String> alone = post("/api/v1/captions", parts.get(bad));
            JsonNode single = JSON.readTree(alone.body());
            JsonNode problem = results.path(bad).path("problem");
            assertThat(problem.path("status").asInt()).as(parts.get(bad).filename()).isEqualTo(alone.statusCode());
            for (String field : List.of("type", "title", "status", "detail")) {
                assertThat(problem.path(field)).as("%s: %s", parts.get(bad).filename(), field).isEqualTo(single.path(field));
            }
        }
    }

    @Test
    void theRequestAsAWholeIsBoundedInImagesAndBytes() throws Exception {
        Part[] nine = new Part[9];
        Arrays.fill(nine, new Part("circle.png", ImageBytes.png()));
        HttpResponse<String> tooMany = post("/api/v1/captions:batch", nine);
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooMany.body()).path("type").asString()).isEqualTo("urn:captioner:problem:too-many-images");
        // the images together stay within one upload's bound (max-image-size plus the multipart overhead)
        byte[] sixMegabytes = new byte[6 * 1024 * 1024];
        HttpResponse<String> tooLarge = post("/api/v1/captions:batch", new Part("a.png", sixMegabytes),
                new Part("b.png", sixMegabytes));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(tooLarge.body()).path("type").asString()).isEqualTo("urn:captioner:problem:image-too-large");
    }
}
