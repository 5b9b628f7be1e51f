package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two replicas sharing one models folder (each with its own data dir): an activation through one reaches the other
 * while clients keep captioning on it, none of their requests failing; a model the other cannot load leaves it on
 * its own, and its health says so.
 */
class SharedModelStoreEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void anActivationOnOneReplicaReachesTheOtherWithoutAFailedRequest() throws Exception {
        Path models = copyOfTheDemoModels();
        try (RunningService a = RunningService.start(dir.resolve("data-a"), models, "--captioner.models.follow-interval=200ms");
             RunningService b = RunningService.start(dir.resolve("data-b"), models, "--captioner.models.follow-interval=200ms")) {
            assertThat(modelOf(b)).isEqualTo("demo-scenes-attention-v1");
            byte[] png = ImageBytes.png();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger failures = new AtomicInteger();
            Map<String, Integer> answeredBy = new ConcurrentHashMap<>();
            ExecutorService clients = Executors.newFixedThreadPool(2);
            List<Future<?>> running = Stream.<Runnable>generate(() -> () -> {
                while (!stop.get()) {
                    try {
                        HttpResponse<String> response = b.send("POST", "/api/v1/captions", "image/png", png, false);
                        if (response.statusCode() != 200) {
                            failures.incrementAndGet();
                        } else {
                            answeredBy.merge(JSON.readTree(response.body()).path("model").path("id").asString(), 1,
                                    Integer::sum);
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            }).limit(2).map(clients::submit).toList();
            try {
                awaitAnswers(answeredBy, "demo-scenes-attention-v1");
                a.admin("POST", "/admin/models/demo-shapes-v1/activate", null);
                long since = System.nanoTime();
                while (!modelOf(b).equals("demo-shapes-v1")) {
                    stalled(since, "the second replica never switched to the activated model");
                    Thread.sleep(100);  // loading the other model takes seconds; a failure shows in the counts
                }
                awaitAnswers(answeredBy, "demo-shapes-v1");
            } finally {
                stop.set(true);
                for (Future<?> client : running) {
                    client.get();
                }
                clients.shutdown();
            }
            assertThat(failures.get()).as("failed requests on the following replica").isZero();
            assertThat(answeredBy).containsKeys("demo-scenes-attention-v1", "demo-shapes-v1");

            // a model the second replica cannot load: it keeps its own and says why on its health
            Path broken = Files.createDirectories(models.resolve("broken-copy"));
            try (Stream<Path> files = Files.list(models.resolve("demo-shapes-v1"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, broken.resolve(file.getFileName()));
                }
            }
            Files.writeString(broken.resolve("manifest.json"), Files.readString(broken.resolve("manifest.json"))
                    .replace("\"demo-shapes-v1\"", "\"broken-copy\""));
            Files.write(broken.resolve("decoder.bin"), new byte[] {1, 2, 3});
            Files.writeString(models.resolve("ACTIVE"), "broken-copy\n");
            JsonNode health = JSON.readTree(b.send("GET", "/actuator/health", null, null, true).body());
            long since = System.nanoTime();
            while (!health.path("components").path("model").path("details").has("storeActiveProblem")) {
                stalled(since, "the second replica's health never named the model it cannot load: " + health);
                Thread.sleep(100);
                health = JSON.readTree(b.send("GET", "/actuator/health", null, null, true).body());
            }
            assertThat(health.path("components").path("model").path("status").asString()).isEqualTo("UP");
            assertThat(health.path("components").path("model").path("details").path("storeActive").asString())
                    .isEqualTo("broken-copy");
            assertThat(modelOf(b)).isEqualTo("demo-shapes-v1");
            assertThat(b.caption(png).path("model").path("id").asString()).isEqualTo("demo-shapes-v1");
        }
    }

    /** Each wait is on something that takes seconds; only a service that never gets there runs into this. */
    private static void stalled(long since, String what) {
        if (System.nanoTime() - since > RunningService.STALLED.toNanos()) {
            throw new AssertionError(what + " (" + RunningService.STALLED + ")");
        }
    }

    private Path copyOfTheDemoModels() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        for (String id : List.of("demo-scenes-attention-v1", "demo-shapes-v1")) {
            Path folder = Files.createDirectories(models.resolve(id));
            try (Stream<Path> files = Files.list(Path.of("models", id))) {
                for (Path file : files.toList()) {
                    Files.copy(file, folder.resolve(file.getFileName()));
                }
            }
        }
        Files.writeString(models.resolve("ACTIVE"), "demo-scenes-attention-v1\n");
        return models;
    }

    private static String modelOf(RunningService service) throws Exception {
        return JSON.readTree(service.get("/api/v1/model").body()).path("id").asString();
    }

    /** Until the clients have had answers from the model (they run until stopped; a failure shows in the counts). */
    private static void awaitAnswers(Map<String, Integer> answeredBy, String model) throws InterruptedException {
        long since = System.nanoTime();
        while (answeredBy.getOrDefault(model, 0) < 3) {
            stalled(since, "no answers from " + model + ": " + answeredBy);
            Thread.sleep(50);
        }
    }
}
