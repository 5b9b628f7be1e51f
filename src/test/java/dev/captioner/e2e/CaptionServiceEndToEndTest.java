package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.captioner.TestModels;
import dev.captioner.store.ModelStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real application on a random port, a small (untrained) model behind the real seeded VGG16, and real
 * image bytes over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CaptionServiceEndToEndTest {

    static final Path PNG_SUITE = Path.of("..", "shared", "fixtures", "pngsuite", "png");
    private static final Path MODELS;
    private static final Path DATA;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        try {
            MODELS = Files.createTempDirectory("captioner-e2e-models");
            DATA = Files.createTempDirectory("captioner-e2e-data");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
        ModelStore store = new ModelStore(MODELS);
        store.save(TestModels.untrained("e2e-model", "random:42", 4096, null));
        store.setActive("e2e-model");
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

    private HttpResponse<String> postRaw(String query, String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/captions" + query))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postMultipart(String field, String fileName, String contentType, byte[] bytes)
            throws Exception {
        String boundary = "----captioner" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + bytes.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(bytes, 0, body, head.length, bytes.length);
        System.arraycopy(tail, 0, body, head.length + bytes.length, tail.length);
        return postRaw("", "multipart/form-data; boundary=" + boundary, body);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertCaptioned(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.path("model").path("id").asString()).isEqualTo("e2e-model");
        assertThat(json.path("model").path("encoder").asString()).isEqualTo("vgg16/random:42");
        JsonNode first = json.path("captions").path(0);
        assertThat(first.path("probability").asDouble()).isBetween(0.0, 1.0);
        assertThat(Math.exp(first.path("logProbability").asDouble())).isCloseTo(first.path("probability").asDouble(),
                org.assertj.core.data.Offset.offset(1e-9));
        for (JsonNode token : first.path("tokens")) {
            assertThat(TestModels.WORDS).contains(token.asString());
        }
        assertThat(json.path("timingsMs").path("encode").asLong()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void readinessIsUpWithTheModel() throws Exception {
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).as("the public sees the status only").contains("UP").doesNotContain("e2e-model");
        HttpResponse<String> detailed = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (RunningService.USER + ":" + RunningService.PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(detailed.body()).path("components").path("model").path("details").path("id").asString())
                .isEqualTo("e2e-model");
    }

    @Test
    void captionsRealPngAndJpegBytes() throws Exception {
        assertCaptioned(postMultipart("image", "red.png", "image/png", ImageBytes.png()));
        assertCaptioned(postMultipart("image", "blue.jpg", "image/jpeg", ImageBytes.jpeg()));
        assertCaptioned(postRaw("", "image/png", ImageBytes.png()));
        assertCaptioned(postRaw("", "image/jpeg", ImageBytes.jpeg()));
    }

    @Test
    void captionsEverySupportedFormat() throws Exception {
        BufferedImage gray = ImageBytes.shape(BufferedImage.TYPE_BYTE_GRAY, Color.WHITE, Color.DARK_GRAY);
        assertCaptioned(postRaw("", "image/jpeg", ImageBytes.encode(gray, "jpg")));
        BufferedImage alpha = ImageBytes.shape(BufferedImage.TYPE_INT_ARGB, new Color(0, 0, 0, 0), Color.GREEN);
        assertCaptioned(postRaw("", "image/png", ImageBytes.encode(alpha, "png")));
        BufferedImage rgb = ImageBytes.shape(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.ORANGE);
        assertCaptioned(postRaw("", "image/gif", ImageBytes.encode(rgb, "gif")));
        assertCaptioned(postRaw("", "image/bmp", ImageBytes.encode(rgb, "bmp")));
    }

    @Test
    void returnsTheRequestedNumberOfBeamsBestFirst() throws Exception {
        HttpResponse<String> response = postRaw("?beamSize=5&n=3", "image/png", ImageBytes.png());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode captions = JSON.readTree(response.body()).path("captions");
        assertThat(captions.size()).isEqualTo(3);
        assertThat(captions.path(0).path("logProbability").asDouble())
                .isGreaterThanOrEqualTo(captions.path(1).path("logProbability").asDouble());
        HttpResponse<String> sampled = postRaw("?mode=sample&n=2&seed=5", "image/png", ImageBytes.png());
        HttpResponse<String> again = postRaw("?mode=sample&n=2&seed=5", "image/png", ImageBytes.png());
        assertThat(JSON.readTree(sampled.body()).path("captions")).isEqualTo(JSON.readTree(again.body()).path("captions"));
    }

    @Test
    void badInputGetsProblemDetailsNotErrors() throws Exception {
        HttpResponse<String> text = postRaw("", "image/png", "definitely not a picture".getBytes(StandardCharsets.UTF_8));
        assertThat(text.statusCode()).isEqualTo(400);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        byte[] png = ImageBytes.png();
        byte[] truncated = java.util.Arrays.copyOf(png, png.length / 2);
        assertThat(postRaw("", "image/png", truncated).statusCode()).isEqualTo(400);
        assertThat(postRaw("", "image/png", new byte[0]).statusCode()).isEqualTo(400);
        assertThat(postRaw("", "text/plain", png).statusCode()).isEqualTo(415);
        assertThat(postMultipart("file", "x.png", "image/png", png).statusCode()).isEqualTo(400);
        assertThat(postRaw("", "image/png", new byte[11 * 1024 * 1024]).statusCode()).isEqualTo(413);
        assertCaptioned(postRaw("", "image/png", png));
    }

    /** Every valid PngSuite image captions; every corrupt one (x*) gets a 4xx, and the service keeps serving. */
    @Test
    void pngSuite() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(PNG_SUITE),
                "PngSuite fixtures not found at " + PNG_SUITE.toAbsolutePath() + " (they live in ../shared)");
        List<Path> files;
        try (Stream<Path> list = Files.list(PNG_SUITE)) {
            files = list.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        List<String> corrupt = new ArrayList<>();
        for (Path file : files) {
            HttpResponse<String> response = postRaw("?beamSize=1", "image/png", Files.readAllBytes(file));
            String name = file.getFileName().toString();
            if (name.startsWith("x")) {
                corrupt.add(name);
                assertThat(response.statusCode()).as(name + ": " + response.body()).isBetween(400, 499);
                assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
            } else {
                assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(200);
            }
        }
        assertThat(corrupt).hasSize(14);
        assertCaptioned(postRaw("", "image/png", ImageBytes.png()));
    }

    @Test
    void publishesAnOpenApiDescription() throws Exception {
        HttpResponse<String> docs = get("/v3/api-docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        JsonNode description = JSON.readTree(docs.body());
        assertThat(description.path("paths").has("/api/v1/captions")).isTrue();
        // the ranges the requests are validated with are the ones the description shows
        JsonNode beamSize = null;
        for (JsonNode parameter : description.at("/paths/~1api~1v1~1captions/post/parameters")) {
            if (parameter.path("name").asString().equals("beamSize")) {
                beamSize = parameter;
            }
        }
        assertThat(beamSize).as("beamSize is described").isNotNull();
        assertThat(beamSize.at("/schema/minimum").asInt()).isEqualTo(1);
        assertThat(description.at("/components/schemas/TrainingJobRequest/properties/epochs/maximum").asInt())
                .isEqualTo(1000);
        assertThat(description.at("/info/description").asString()).contains("attention");

        // every operation lists the problems it answers with; the admin API asks for HTTP Basic, captions do not
        assertThat(description.at("/components/securitySchemes/adminBasic/type").asString()).isEqualTo("http");
        assertThat(description.at("/components/securitySchemes/adminBasic/scheme").asString()).isEqualTo("basic");
        assertThat(description.at("/components/schemas/ProblemDetail/properties").propertyNames())
                .contains("type", "title", "status", "detail", "instance");
        List<String> operations = new ArrayList<>();
        for (var path : description.path("paths").properties()) {
            for (var method : path.getValue().properties()) {
                if (!List.of("get", "put", "post", "delete", "patch", "head", "options").contains(method.getKey())) {
                    continue;
                }
                String operation = method.getKey().toUpperCase() + " " + path.getKey();
                operations.add(operation);
                JsonNode responses = method.getValue().path("responses");
                List<String> problems = responses.properties().stream()
                        .filter(r -> r.getKey().startsWith("4") && r.getValue().at(
                                "/content/application~1problem+json/schema/$ref").asString().endsWith("/ProblemDetail"))
                        .map(java.util.Map.Entry::getKey).toList();
                assertThat(problems).as(operation + " lists its client errors as problems").isNotEmpty();
                JsonNode security = method.getValue().path("security");
                if (path.getKey().startsWith("/admin/")) {
                    assertThat(security.toString()).as(operation).isEqualTo("[{\"adminBasic\":[]}]");
                    assertThat(problems).as(operation).contains("401", "403", "429");
                } else {
                    assertThat(security.isMissingNode() || security.isEmpty()).as(operation + " is public").isTrue();
                }
            }
        }
        assertThat(operations).noneMatch(operation -> operation.endsWith(" /error")).contains("POST /api/v1/captions", "GET /admin/training-jobs",
                "POST /admin/training-jobs", "GET /admin/training-jobs/{id}", "POST /admin/training-jobs/{id}/cancel",
                "POST /admin/training-jobs/{id}/restart", "GET /admin/models", "GET /admin/models/{id}",
                "POST /admin/models/{id}/activate", "DELETE /admin/models/{id}");
        JsonNode captionResponses = description.at("/paths/~1api~1v1~1captions/post/responses");
        assertThat(captionResponses.propertyNames()).contains("200", "400", "408", "413", "415", "422", "500", "503")
                .doesNotContain("401", "403", "429");
        assertThat(captionResponses.at("/503/headers").has("Retry-After")).isTrue();
        assertThat(captionResponses.at("/413/description").asString()).contains("image-too-large");
        assertThat(description.at("/paths/~1admin~1models~1{id}/delete/responses").propertyNames())
                .contains("204", "404", "409").doesNotContain("200");
        assertThat(description.at("/paths/~1admin~1training-jobs/post/responses").propertyNames())
                .contains("202", "400", "409", "413", "415").doesNotContain("200");
        JsonNode jobResponses = description.at("/paths/~1admin~1training-jobs~1{id}~1cancel/post/responses");
        assertThat(jobResponses.propertyNames()).contains("404", "409");
        assertThat(jobResponses.at("/409/description").asString()).contains("job-conflict");
        assertThat(jobResponses.at("/429/headers").has("Retry-After")).isTrue();
    }

    /** Swagger UI at springdoc's usual path, public like the description it shows, with its own assets. */
    @Test
    void servesSwaggerUi() throws Exception {
        HttpResponse<String> entry = get("/swagger-ui.html");
        assertThat(entry.statusCode()).isEqualTo(302);
        assertThat(entry.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/swagger-ui/index.html"));
        HttpResponse<String> index = get("/swagger-ui/index.html");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(index.body()).contains("swagger-ui-bundle.js", "swagger-initializer.js");
        HttpResponse<String> initializer = get("/swagger-ui/swagger-initializer.js");
        assertThat(initializer.statusCode()).isEqualTo(200);
        assertThat(initializer.body()).contains("/v3/api-docs");
        HttpResponse<String> config = get("/v3/api-docs/swagger-config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(config.body()).path("url").asString()).isEqualTo("/v3/api-docs");
        for (String asset : List.of("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css")) {
            HttpResponse<String> response = get("/swagger-ui/" + asset);
            assertThat(response.statusCode()).as(asset).isEqualTo(200);
            assertThat(response.body()).as(asset).hasSizeGreaterThan(1000);
        }
    }
}
