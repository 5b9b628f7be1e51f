package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.captioner.store.ModelStore;
import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code /actuator/prometheus} on the real application with the shipped fc7 demo model behind the seeded VGG16:
 * the scrape, parsed as Prometheus parses it, has the request, encoder and generation histograms, which move by
 * exactly the requests and images served, the 503 of a service with no model counted by its reason, the
 * activation counted; and it needs the admin's password unless {@code captioner.metrics.public-scrape} is on.
 */
class MetricsEndToEndTest {

    private static final String MODEL = "demo-shapes-v1";
    private static final String CAPTIONS = "/api/v1/captions";

    @TempDir
    Path root;

    private static PrometheusText scrape(RunningService service) throws Exception {
        HttpResponse<String> response = service.send("GET", "/actuator/prometheus", null, null, true);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return PrometheusText.parse(response.body());
    }

    /** Requests to the single-image endpoint answered 200, from the request latency histogram's count. */
    private static double captionsServed(PrometheusText scrape) {
        return scrape.sum("http_server_requests_seconds_count", "uri", CAPTIONS, "method", "POST", "status", "200");
    }

    @Test
    void theScrapeNeedsTheAdminAndItsHistogramsMoveWithTheImagesServed() throws Exception {
        Path models = root.resolve("models");
        // stored but not active: the service starts with no model, and caption requests get 503
        new ModelStore(models).save(new ModelStore(Path.of("models")).load(MODEL));
        try (RunningService service = RunningService.start(root.resolve("data"), models)) {
            HttpResponse<String> anonymous = service.get("/actuator/prometheus");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("urn:captioner:problem:unauthorized");

            PrometheusText empty = scrape(service);
            assertThat(empty.value("captioner_requests_refused_total", "reason", "no-active-model")).contains(0.0);
            assertThat(empty.value("captioner_model_activations_total", "outcome", "loaded")).contains(0.0);
            assertThat(empty.value("captioner_training_job_running")).contains(0.0);
            assertThat(empty.value("captioner_training_job_progress")).hasValueSatisfying(
                    progress -> assertThat(progress).isNaN());

            HttpResponse<String> refused = service.send("POST", CAPTIONS, "image/png", ImageBytes.png(), false);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("urn:captioner:problem:no-active-model");
            PrometheusText noModel = scrape(service);
            assertThat(noModel.value("captioner_requests_refused_total", "reason", "no-active-model")).contains(1.0);
            assertThat(noModel.value("captioner_requests_refused_total", "reason", "queue-full")).contains(0.0);

            service.admin("POST", "/admin/models/" + MODEL + "/activate", null);
            PrometheusText before = scrape(service);
            assertThat(before.value("captioner_model_activations_total", "outcome", "loaded")).contains(1.0);
            assertThat(before.value("captioner_model_activations_total", "outcome", "failed")).contains(0.0);

            for (byte[] image : List.of(ImageBytes.png(), ImageBytes.jpeg(), ImageBytes.png())) {
                service.caption(image);
            }
            HttpResponse<String> batch = service.send("POST", CAPTIONS + ":batch", "multipart/form-data; boundary=b",
                    multipart("b", ImageBytes.png(), ImageBytes.jpeg()), false);
            assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
            PrometheusText after = scrape(service);

            // request latency: three more 200s of the single-image endpoint, in the count and the +Inf bucket
            assertThat(captionsServed(after) - captionsServed(before)).isEqualTo(3);
            assertThat(after.sum("http_server_requests_seconds_bucket", "uri", CAPTIONS, "status", "200", "le", "+Inf")
                    - before.sum("http_server_requests_seconds_bucket", "uri", CAPTIONS, "status", "200", "le", "+Inf"))
                    .isEqualTo(3);
            List<PrometheusText.Sample> buckets = after.find("http_server_requests_seconds_bucket", "uri", CAPTIONS,
                    "method", "POST", "status", "200");
            assertThat(buckets).hasSizeGreaterThan(10);
            assertThat(buckets.stream().mapToDouble(PrometheusText.Sample::value).toArray())
                    .as("cumulative buckets, smallest bound first").isSorted();
            assertThat(buckets.get(buckets.size() - 1).labels().get("le")).isEqualTo("+Inf");

            // five images encoded, however the batcher grouped them; each generated once
            double passes = delta(before, after, "captioner_encoder_batch_duration_seconds_count");
            assertThat(passes).isBetween(2.0, 5.0);
            assertThat(delta(before, after, "captioner_encoder_batch_duration_seconds_bucket", "le", "+Inf"))
                    .isEqualTo(passes);
            assertThat(delta(before, after, "captioner_encoder_batch_duration_seconds_sum")).isPositive();
            assertThat(delta(before, after, "captioner_encoder_batch_size_images_count")).isEqualTo(passes);
            assertThat(delta(before, after, "captioner_encoder_batch_size_images_sum")).isEqualTo(5);
            assertThat(delta(before, after, "captioner_encoder_batch_size_images_bucket", "le", "8.0"))
                    .isEqualTo(passes);
            assertThat(delta(before, after, "captioner_encoder_queue_wait_seconds_count")).isEqualTo(5);
            assertThat(delta(before, after, "captioner_caption_generation_seconds_count", "mode", "beam"))
                    .isEqualTo(5);
            assertThat(delta(before, after, "captioner_caption_generation_seconds_bucket", "mode", "beam",
                    "le", "+Inf")).isEqualTo(5);
            assertThat(after.value("captioner_encoder_queue_depth_images")).contains(0.0);
            assertThat(after.value("captioner_encoder_queue_capacity_images")).contains(32.0);
            assertThat(after.value("captioner_requests_refused_total", "reason", "no-active-model")).contains(1.0);
        }
    }

    /** Also the upload memory's 503: with room for 1 KB of bodies, a 4 KB one is refused as it starts to arrive. */
    @Test
    void publicScrapeLetsAPrometheusWithoutThePasswordInAndNothingElse() throws Exception {
        Path models = Files.createDirectories(root.resolve("models"));
        try (RunningService service = RunningService.start(root.resolve("data"), models,
                "--captioner.metrics.public-scrape=true", "--captioner.uploads.max-buffered=1KB")) {
            HttpResponse<String> anonymous = service.get("/actuator/prometheus");
            assertThat(anonymous.statusCode()).isEqualTo(200);
            PrometheusText before = PrometheusText.parse(anonymous.body());
            assertThat(before.value("captioner_requests_refused_total", "reason", "no-active-model")).contains(0.0);
            assertThat(before.value("captioner_requests_refused_total", "reason", "uploads")).contains(0.0);
            assertThat(service.get("/actuator/metrics").statusCode()).isEqualTo(401);
            assertThat(service.get("/admin/models").statusCode()).isEqualTo(401);

            HttpResponse<String> tooMuch = service.send("POST", "/api/v1/model", "application/octet-stream",
                    new byte[4096], false);
            assertThat(tooMuch.statusCode()).isEqualTo(503);
            assertThat(tooMuch.body()).contains("urn:captioner:problem:busy-uploads");
            PrometheusText after = PrometheusText.parse(service.get("/actuator/prometheus").body());
            assertThat(after.value("captioner_requests_refused_total", "reason", "uploads")).contains(1.0);
        }
    }

    /**
     * A job's gauges while it trains, between two reads of its view (progress only grows), and once it is
     * cancelled; the gauges are read again at most once a second, so the last is waited for, not timed.
     */
    @Test
    void theRunningJobsProgressAndStepAreGauged() throws Exception {
        Path data = root.resolve("data");
        new ShapesDatasetGenerator(52).generate(data.resolve("shapes"), 12, 1);
        try (RunningService service = RunningService.start(data, Files.createDirectories(root.resolve("models")))) {
            long id = service.admin("POST", "/admin/training-jobs", """
                    {"dataset":{"annotations":"shapes/captions.json","images":"shapes/images"},"epochs":1000,
                     "batchSize":4,"hiddenSize":16,"embeddingSize":16,"minWordCount":1,"metricsImages":2,
                     "encoderWeights":"random:42","modelId":"gauged"}""").get("id").asLong();
            JsonNode before = service.awaitJob(id, job -> job.path("epochs").size() >= 1);
            PrometheusText scrape = scrape(service);
            JsonNode after = service.admin("GET", "/admin/training-jobs/" + id, null);

            assertThat(scrape.value("captioner_training_job_running")).contains(1.0);
            assertThat(scrape.value("captioner_training_job_progress")).hasValueSatisfying(progress -> assertThat(
                    progress).isBetween(before.get("progress").asDouble(), after.get("progress").asDouble()));
            assertThat(scrape.sum("captioner_training_job_step")).isEqualTo(1);
            if (before.get("step").asString().equals(after.get("step").asString())) {
                assertThat(scrape.value("captioner_training_job_step", "step", before.get("step").asString()))
                        .contains(1.0);
            }

            service.admin("POST", "/admin/training-jobs/" + id + "/cancel", null);
            service.awaitJob(id, job -> job.get("status").asString().equals("CANCELLED"));
            PrometheusText ended = scrape(service);
            long since = System.nanoTime();
            while (ended.value("captioner_training_job_running").orElseThrow() != 0) {
                // only a gauge that never reads the job again takes this long (RunningService's bound on a stall)
                assertThat(System.nanoTime() - since).as("the running gauge is still 1")
                        .isLessThan(RunningService.STALLED.toNanos());
                Thread.sleep(200);
                ended = scrape(service);
            }
            assertThat(ended.value("captioner_training_job_progress")).hasValueSatisfying(
                    progress -> assertThat(progress).isNaN());
            assertThat(ended.sum("captioner_training_job_step")).isZero();
        }
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private static byte[] multipart(String boundary, byte[]... images) {
        var body = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < images.length; i++) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + i
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes());
            body.writeBytes(images[i]);
            body.writeBytes("\r\n".getBytes());
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes());
        return body.toByteArray();
    }
}
