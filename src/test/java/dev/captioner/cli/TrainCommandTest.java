package dev.captioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;

import dev.captioner.e2e.TestPostgres;
import dev.captioner.training.job.PostgresRunnerLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code train} runs its job in its own process: it takes the job runner lock for it (the service's runner, which
 * recovers and polls, is not started without the web server), and refuses, submitting nothing, when a service on
 * the same job database holds the lock.
 */
class TrainCommandTest {

    private static final int IMAGES = 12;

    @TempDir
    Path dir;

    @Test
    void runsTheJobInThisProcessAndFollowsItToItsModel() throws Exception {
        Path request = shapesAndRequest();
        CliRun train = train(request);

        assertThat(train.exit()).as(train.err()).isZero();
        assertThat(train.err()).contains("training job 1 ").contains("features: " + IMAGES + " images, " + IMAGES
                + " encoded, 0 from the feature cache").contains("model cli-model");
        assertThat(dir.resolve("models/cli-model")).isDirectory();
    }

    @Test
    void refusesWhileAServiceOnTheSameJobDatabaseRunsTheJobs() throws Exception {
        Path request = shapesAndRequest();
        try (TestPostgres database = TestPostgres.start()) {
            PGSimpleDataSource source = new PGSimpleDataSource();
            source.setUrl(database.url());
            source.setUser(TestPostgres.USER);
            PostgresRunnerLock service = new PostgresRunnerLock(source);
            assertThat(service.tryAcquire()).isTrue();
            CliRun refused;
            System.setProperty("spring.datasource.url", database.url());
            System.setProperty("spring.datasource.username", TestPostgres.USER);
            try {
                refused = train(request);
            } finally {
                System.clearProperty("spring.datasource.url");
                System.clearProperty("spring.datasource.username");
                service.release();
            }
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("a service on this job database runs its training jobs");
            try (Statement statement = database.connect().createStatement();
                 ResultSet jobs = statement.executeQuery("select count(*) from batch_job_instance")) {
                assertThat(jobs.next()).isTrue();
                assertThat(jobs.getInt(1)).as("nothing submitted").isZero();
            }
        }
    }

    private Path shapesAndRequest() throws Exception {
        CliRun shapes = CliRun.of("generate-shapes", "--output", dir.resolve("data/shapes").toString(),
                "--count", String.valueOf(IMAGES));
        assertThat(shapes.exit()).as(shapes.err()).isZero();
        Path request = dir.resolve("job.json");
        Files.writeString(request, """
                {"dataset": {"annotations": "shapes/captions.json", "images": "shapes/images"},
                 "encoderWeights": "random:7", "epochs": 1, "hiddenSize": 16, "embeddingSize": 16,
                 "minWordCount": 1, "metricsImages": 4, "modelId": "cli-model"}
                """);
        return request;
    }

    private CliRun train(Path request) {
        return CliRun.of("train", "--request", request.toString(), "--data-dir", dir.resolve("data").toString(),
                "--models-dir", dir.resolve("models").toString());
    }
}
