package dev.captioner.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

import javax.sql.DataSource;

import dev.captioner.CaptionerApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real application on a random port over given data and models folders, started and stopped by the
 * test (so a test can stop it mid-job and start it again), with an HTTP client that speaks the admin API.
 */
final class RunningService implements AutoCloseable {

    static final String USER = "admin";
    static final String PASSWORD = "e2e-secret";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    final ConfigurableApplicationContext context;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunningService(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** @param more further {@code --name=value} arguments */
    static RunningService start(Path dataDir, Path modelsDir, String... more) {
        // as command-line arguments, which outrank application.yml (default properties would not)
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--captioner.data-dir=" + dataDir,
                "--captioner.models-dir=" + modelsDir,
                "--captioner.admin.password=" + PASSWORD));
        args.addAll(List.of(more));
        return new RunningService(new SpringApplicationBuilder(CaptionerApplication.class).run(args.toArray(String[]::new)));
    }

    /** An unauthenticated GET, answered whatever its status. */
    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, null, false);
    }

    int port() {
        return port;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    HttpResponse<String> send(String method, String path, String contentType, byte[] body, boolean admin)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (admin) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode admin(String method, String path, String json) throws Exception {
        HttpResponse<String> response = send(method, path, json == null ? null : "application/json",
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), true);
        if (response.statusCode() >= 300) {
            throw new AssertionError(method + " " + path + " -> " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    JsonNode caption(byte[] png) throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/captions", "image/png", png, false);
        if (response.statusCode() != 200) {
            throw new AssertionError("caption -> " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * Polls a job until the condition holds. It fails when the job ends elsewhere (failed, cancelled, or done
     * without the condition), or when it has not moved at all (status, step, progress, features done, epochs)
     * for {@link #STALLED}: a slow machine makes a job slow, not stuck, so there is no deadline on the whole wait.
     */
    JsonNode awaitJob(long id, Predicate<JsonNode> condition) throws Exception {
        JsonNode job = admin("GET", "/admin/training-jobs/" + id, null);
        String moved = progressOf(job);
        long movedAt = System.nanoTime();
        while (!condition.test(job)) {
            String status = job.get("status").asString();
            if (status.equals("FAILED") || status.equals("CANCELLED") || status.equals("SUCCEEDED")) {
                throw new AssertionError("job " + id + " ended without getting there: " + job);
            }
            if (System.nanoTime() - movedAt > STALLED.toNanos()) {
                throw new AssertionError("job " + id + " has not moved for " + STALLED + ": " + job);
            }
            Thread.sleep(200);
            job = admin("GET", "/admin/training-jobs/" + id, null);
            String now = progressOf(job);
            if (!now.equals(moved)) {
                moved = now;
                movedAt = System.nanoTime();
            }
        }
        return job;
    }

    /** How long a job may show no progress at all before a test gives up on it. */
    static final Duration STALLED = Duration.ofMinutes(10);

    private static String progressOf(JsonNode job) {
        return job.path("status").asString() + "|" + job.path("step").asString() + "|" + job.path("progress").asDouble()
                + "|" + job.path("features").path("done").asInt() + "|" + job.path("epochs").size()
                + "|" + job.path("attempts").asInt();
    }

    @Override
    public void close() {
        context.close();
    }

    /** Leaves the job database as a crash or {@code kill -9} leaves it: what H2 wrote stays, nothing more is written. */
    void crashDatabase() throws SQLException {
        try (Connection connection = bean(DataSource.class).getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("CHECKPOINT");
            sql.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException closedByShutdown) {
            // the connection went with the database
        }
    }
}
