package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import dev.captioner.training.job.JobRunnerElection;
import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas sharing one PostgreSQL job repository, one models folder and one data dir: jobs submitted through
 * either run one at a time on the replica holding the runner lock, a cancel through the other reaches the running
 * job, every job reads the same from both, and when the runner stops mid-job the other takes the lock and resumes
 * the job after its last finished epoch. (A runner killed outright: scripts/replicas-smoke.sh.)
 */
class FleetJobRunnerTest {

    private static final int EPOCHS = 30;
    /** Long enough to be cancelled or stopped mid-way on a fast machine. */
    private static final int LONG_EPOCHS = 400;
    private static final String REQUEST = """
            {"dataset":{"annotations":"shapes/captions.json","images":"shapes/images"},"epochs":%d,
             "batchSize":4,"hiddenSize":16,"embeddingSize":16,"minWordCount":1,"metricsImages":2,
             "encoderWeights":"random:42","modelId":"%s"}""";

    @TempDir
    Path root;

    @Test
    void jobsFromEitherReplicaRunOneAtATimeOnTheRunnerAndTheOtherTakesOver() throws Exception {
        Path data = root.resolve("data");
        Path models = root.resolve("models");
        new ShapesDatasetGenerator(61).generate(data.resolve("shapes"), 24, 1);
        try (TestPostgres database = TestPostgres.start()) {
            String[] arguments = Stream.concat(Stream.of(database.serviceArguments()),
                    Stream.of("--captioner.training.runner-poll-interval=200ms")).toArray(String[]::new);
            RunningService a = RunningService.start(data, models, arguments);
            try (RunningService b = RunningService.start(data, models, arguments)) {
                // the first to start holds the lock; the second waits for it
                assertThat(a.bean(JobRunnerElection.class).isRunner()).isTrue();
                assertThat(b.bean(JobRunnerElection.class).isRunner()).isFalse();

                // 1. one job through each: they run one after the other, and read the same from both replicas
                long first = submit(a, EPOCHS, "first");
                long second = submit(b, EPOCHS, "second");
                JsonNode firstDone = b.awaitJob(first, job -> status(job).equals("SUCCEEDED"));
                JsonNode secondDone = a.awaitJob(second, job -> status(job).equals("SUCCEEDED"));
                assertThat(Instant.parse(secondDone.get("startedAt").asString()))
                        .isAfterOrEqualTo(Instant.parse(firstDone.get("endedAt").asString()));
                assertThat(firstDone.get("runner").asString()).isNotBlank()
                        .isEqualTo(secondDone.get("runner").asString());
                assertThat(job(a, first)).isEqualTo(job(b, first));
                assertThat(job(a, second)).isEqualTo(job(b, second));
                assertThat(b.bean(JobRunnerElection.class).isRunner()).isFalse();

                // 2. a cancel through the replica that does not run the job stops it at its next batch
                long third = submit(b, LONG_EPOCHS, "third");
                a.awaitJob(third, job -> job.path("epochs").size() >= 1);
                b.admin("POST", "/admin/training-jobs/" + third + "/cancel", null);
                JsonNode cancelled = b.awaitJob(third, job -> status(job).equals("CANCELLED"));
                assertThat(cancelled.get("error").asString()).isEqualTo("cancelled by an admin");
                assertThat(cancelled.get("epochs").size()).isBetween(1, LONG_EPOCHS - 1);
                assertThat(job(a, third)).isEqualTo(cancelled);

                // 3. the runner stops mid-job: the other replica takes the lock and resumes the job where it was
                long fourth = submit(b, EPOCHS * 2, "fourth");
                JsonNode beforeStop = b.awaitJob(fourth, job -> job.path("epochs").size() >= 2);
                a.close();
                a = null;
                JsonNode resumed = awaitResumed(b, fourth);
                assertThat(b.bean(JobRunnerElection.class).isRunner()).isTrue();
                JsonNode done = b.awaitJob(fourth, job -> status(job).equals("SUCCEEDED"));
                assertThat(done.get("attempts").asInt()).isEqualTo(2);
                assertThat(done.get("epochs")).hasSize(EPOCHS * 2);
                for (int e = 0; e < beforeStop.get("epochs").size(); e++) {
                    assertThat(done.get("epochs").get(e)).isEqualTo(beforeStop.get("epochs").get(e));
                }
                assertThat(resumed.get("runner").asString()).isNotBlank();
            } finally {
                if (a != null) {
                    a.close();
                }
            }
        }
    }

    private static long submit(RunningService service, int epochs, String modelId) throws Exception {
        return service.admin("POST", "/admin/training-jobs", REQUEST.formatted(epochs, modelId)).get("id").asLong();
    }

    private static JsonNode job(RunningService service, long id) throws Exception {
        return service.admin("GET", "/admin/training-jobs/" + id, null);
    }

    private static String status(JsonNode job) {
        return job.get("status").asString();
    }

    /**
     * Until the job runs again as a second attempt. In between it reads FAILED (interrupted by the stop), which
     * {@link RunningService#awaitJob} would take for its end; this waits on the replica taking over instead, which
     * polls for the lock every 200 ms: the cap only stops a hang.
     */
    private static JsonNode awaitResumed(RunningService service, long id) throws Exception {
        long deadline = System.nanoTime() + RunningService.STALLED.toNanos();
        JsonNode job = job(service, id);
        while (!(job.get("attempts").asInt() == 2 && !status(job).equals("FAILED") && !status(job).equals("QUEUED"))) {
            assertThat(System.nanoTime()).as("job %d never resumed: %s", id, job).isLessThan(deadline);
            Thread.sleep(100);
            job = job(service, id);
        }
        return job;
    }
}
