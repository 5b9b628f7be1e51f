package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow clients cost connections, not request threads: with a pool of 4 threads, a crowd of clients that each send
 * one body byte every quarter second does not keep a normal upload out, each of them is answered (408 when it was
 * too slow for its slot or its time ran out, 503 when it came while every slot was young), and a body that stops
 * arriving is a 408 problem. Before bodies were received off-thread, the crowd held every thread and the normal
 * upload waited for as long as the crowd kept trickling.
 */
class SlowClientsEndToEndTest {

    private static final int THREADS = 4;
    private static final int CROWD = 3 * THREADS;
    /** The normal upload must be answered while the crowd trickles; only a hang can take this long. */
    private static final Duration HANG = Duration.ofMinutes(2);

    private static RunningService service;
    private static byte[] png;

    @BeforeAll
    static void start() throws IOException {
        service = RunningService.start(Files.createTempDirectory("captioner-slow"), Path.of("models"),
                "--server.tomcat.threads.max=" + THREADS,
                "--server.tomcat.threads.min-spare=1",
                "--captioner.uploads.max-in-progress=" + (CROWD / 2),
                "--captioner.uploads.max-receive-time=6s",
                // a stalled body is answered at three quarters of it (3 s), before Tomcat closes without a word
                "--server.tomcat.connection-timeout=4s");
        png = ImageBytes.encode(ImageBytes.shape(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.RED), "png");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aCrowdOfTricklingClientsDoesNotKeepAnUploadOut() throws Exception {
        AtomicBoolean trickling = new AtomicBoolean(true);
        ExecutorService crowd = Executors.newFixedThreadPool(CROWD);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < CROWD; i++) {
                answers.add(crowd.submit(() -> trickle(trickling)));
            }
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> answer = null;
            for (int attempt = 0; attempt < 30; attempt++) {
                answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + service.port()
                                + "/api/v1/captions")).timeout(HANG).header("Content-Type", "image/png")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 503) {
                    break;
                }
                // every slot was taken by a body still in its grace period: come back as told
                assertThat(answer.body()).contains("busy-uploads");
                Thread.sleep(1000L * Integer.parseInt(answer.headers().firstValue("Retry-After").orElse("1")));
            }
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("\"captions\"");

            trickling.set(false);
            int refusedAsProblems = 0;
            for (Future<String> crowdAnswer : answers) {
                String reply = crowdAnswer.get();
                if (reply.isEmpty()) {
                    continue; // the connection was closed under a byte still being sent: the reset lost the reply
                }
                assertThat(reply).startsWith("HTTP/1.1 ");
                assertThat(reply.substring(9, 12)).isIn("408", "503");
                assertThat(reply).contains("application/problem+json");
                assertThat(ProtocolProblemsEndToEndTest.parse(reply).body()).contains("urn:captioner:problem:");
                refusedAsProblems++;
            }
            assertThat(refusedAsProblems).as("crowd members answered with a problem").isPositive();
        } finally {
            trickling.set(false);
            crowd.shutdownNow();
        }
    }

    @Test
    void aBodyThatStopsArrivingIs408() throws Exception {
        try (Socket socket = new Socket("localhost", service.port())) {
            socket.setSoTimeout((int) HANG.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head(png.length));
            out.write(png, 0, png.length / 2);
            out.flush();
            String reply = readAll(socket.getInputStream());
            assertThat(reply).startsWith("HTTP/1.1 408");
            assertThat(ProtocolProblemsEndToEndTest.parse(reply).body()).contains("\"status\":408");
            assertThat(reply).contains("application/problem+json", "urn:captioner:problem:request-timeout",
                    "stopped arriving: " + png.length / 2 + " bytes received, then nothing for 3 s");
        }
    }

    @Test
    void aBodyThatKeepsArrivingTooSlowlyIs408AtTheDeadline() throws Exception {
        try (Socket socket = new Socket("localhost", service.port())) {
            socket.setSoTimeout((int) HANG.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head(png.length));
            out.write(png, 0, 10);
            out.flush();
            // a byte a second: never stalled, but the whole body would take far longer than 6 s
            for (int i = 10; i < png.length && in.available() == 0; i++) {
                Thread.sleep(1000);
                try {
                    out.write(png[i]);
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
            }
            String reply = readAll(in);
            assertThat(reply).startsWith("HTTP/1.1 408");
            assertThat(ProtocolProblemsEndToEndTest.parse(reply).body()).contains("\"status\":408");
            assertThat(reply).contains("urn:captioner:problem:request-timeout", "did not arrive within 6 s");
        }
    }

    /** Sends the headers, then one body byte every 250 ms while {@code trickling}; returns the reply, or "". */
    private static String trickle(AtomicBoolean trickling) throws IOException, InterruptedException {
        try (Socket socket = new Socket("localhost", service.port())) {
            socket.setSoTimeout((int) HANG.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head(png.length));
            out.flush();
            for (int i = 0; i < png.length && trickling.get() && in.available() == 0; i++) {
                try {
                    out.write(png[i]);
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(250);
            }
            try {
                return readAll(in);
            } catch (IOException reset) {
                return "";
            }
        }
    }

    private static byte[] head(int contentLength) {
        return ("POST /api/v1/captions HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\nContent-Length: "
                + contentLength + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        in.transferTo(reply);
        return reply.toString(StandardCharsets.ISO_8859_1);
    }
}
