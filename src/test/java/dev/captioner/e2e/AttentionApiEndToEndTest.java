package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.captioner.TestModels;
import dev.captioner.language.GridShape;
import dev.captioner.store.ModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Attention maps over HTTP from the real application behind the real seeded VGG16's conv5_3 grid: with an attention
 * model every token has a 14x14 map summing to 1; swapping to an fc7 model and back while requests are in flight
 * fails none of them (both served by one VGG16); with the fc7 model, attention=true is a 400 problem.
 */
class AttentionApiEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ATTENTION_QUERY = "/api/v1/captions?attention=true&mode=sample&n=4&seed=3&maxLength=6";

    @TempDir
    Path root;

    @Test
    void attentionMapsPerTokenAndASwapBetweenKindsUnderLoad() throws Exception {
        Path models = root.resolve("models");
        ModelStore store = new ModelStore(models);
        store.save(TestModels.untrainedAttention("att", "random:42", new GridShape(14, 14, 512), null));
        store.save(TestModels.untrained("fc7", "random:42", 4096, null));
        store.setActive("att");
        byte[] png = ImageBytes.png();

        try (RunningService service = RunningService.start(root.resolve("data"), models)) {
            JsonNode answer = captionWithAttention(service, png, 200);
            assertThat(answer.get("model").get("encoder").asString()).isEqualTo("vgg16-conv5_3/random:42");
            assertThat(answer.get("attentionGrid").get("rows").asInt()).isEqualTo(14);
            assertThat(answer.get("attentionGrid").get("columns").asInt()).isEqualTo(14);
            assertThat(answer.get("attentionGrid").get("covers").asString()).contains("the whole image");
            int tokens = 0;
            for (JsonNode caption : answer.get("captions")) {
                JsonNode maps = caption.get("attention");
                assertThat(maps.size()).isEqualTo(caption.get("tokens").size());
                for (JsonNode map : maps) {
                    assertThat(map.size()).isEqualTo(14);
                    double sum = 0;
                    for (JsonNode row : map) {
                        assertThat(row.size()).isEqualTo(14);
                        for (JsonNode weight : row) {
                            assertThat(weight.asDouble()).isBetween(0.0, 1.0);
                            sum += weight.asDouble();
                        }
                    }
                    assertThat(sum).as("a map's weights, each rounded to 4 decimals").isCloseTo(1.0,
                            org.assertj.core.data.Offset.offset(196 * 0.00005 + 1e-9));
                    tokens++;
                }
            }
            assertThat(tokens).as("tokens with maps across the four samples").isPositive();
            // without attention=true the answer is as before
            JsonNode plain = service.caption(png);
            assertThat(plain.has("attentionGrid")).isFalse();
            assertThat(plain.get("captions").get(0).has("attention")).isFalse();

            // swap to the fc7 model and back while four clients keep captioning: every request answered
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<List<String>>> served = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                served.add(clients.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    while (running.get()) {
                        ids.add(service.caption(png).get("model").get("id").asString());
                    }
                    return ids;
                }));
            }
            service.admin("POST", "/admin/models/fc7/activate", null);
            JsonNode refused = captionWithAttention(service, png, 400);
            assertThat(refused.get("type").asString()).isEqualTo("urn:captioner:problem:no-attention");
            assertThat(refused.get("detail").asString()).contains("'fc7' has no attention");
            service.admin("POST", "/admin/models/att/activate", null);
            running.set(false);
            List<String> ids = new ArrayList<>();
            for (Future<List<String>> f : served) {
                ids.addAll(f.get());
            }
            clients.shutdown();
            assertThat(ids).isNotEmpty().allMatch(id -> id.equals("att") || id.equals("fc7"));
            assertThat(captionWithAttention(service, png, 200).get("model").get("id").asString()).isEqualTo("att");
        }
    }

    private static JsonNode captionWithAttention(RunningService service, byte[] png, int status) throws Exception {
        HttpResponse<String> response = service.send("POST", ATTENTION_QUERY, "image/png", png, false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        if (status >= 400) {
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
        return JSON.readTree(response.body());
    }
}
