package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service stopped without closing its H2 job database (as a crash or {@code kill -9} leaves it) and started
 * again on the same data dir numbers the next job one past the last, not 32 past it.
 */
class JobIdsAfterCrashTest {

    private static final String REQUEST = """
            {"dataset":{"annotations":"shapes/captions.json","images":"shapes/images"},"epochs":50,
             "batchSize":4,"hiddenSize":16,"embeddingSize":16,"minWordCount":1,"metricsImages":2,
             "encoderWeights":"random:42"}""";

    @TempDir
    Path root;

    @Test
    void theJobAfterACrashTakesTheNextId() throws Exception {
        Path data = root.resolve("data");
        Path models = Files.createDirectories(root.resolve("models"));
        new ShapesDatasetGenerator(61).generate(data.resolve("shapes"), 8, 1);

        long before;
        try (RunningService service = RunningService.start(data, models)) {
            before = submitAndCancel(service);
            crashDatabase(service.bean(DataSource.class));
        }
        try (RunningService service = RunningService.start(data, models)) {
            assertThat(submitAndCancel(service)).isEqualTo(before + 1);
        }
    }

    private static long submitAndCancel(RunningService service) throws Exception {
        long id = service.admin("POST", "/admin/training-jobs", REQUEST).get("id").asLong();
        service.admin("POST", "/admin/training-jobs/" + id + "/cancel", null);
        service.awaitJob(id, job -> job.get("status").asString().equals("CANCELLED"));
        return id;
    }

    /** What H2 had written by now stays; nothing more is written on the way out. */
    private static void crashDatabase(DataSource database) throws SQLException {
        try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("CHECKPOINT");
            sql.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException closedByShutdown) {
            // the connection went with the database
        }
    }
}
