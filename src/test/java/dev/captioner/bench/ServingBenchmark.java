package dev.captioner.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import dev.captioner.training.synthetic.ShapesDatasetGenerator;

/**
 * Caption requests against a running service (not a test): first one client sending requests one after
 * another (latency without queueing), then {@code clients} clients at once, each sending {@code requests}
 * PNG images as fast as answers come back. Prints one JSON line: p50/p99 latency, images per second, and
 * how many requests were refused as busy (503) or failed.
 * <pre>java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *     dev.captioner.bench.ServingBenchmark http://localhost:8080 [clients] [requests per client]</pre>
 */
public final class ServingBenchmark {

    private record Outcome(int status, double millis) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int perClient = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        URI captions = URI.create(base + "/api/v1/captions");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<byte[]> images = shapes(16, 4242);

        for (int i = 0; i < 3; i++) {
            send(http, captions, images.get(i));  // warm-up: JIT, workspaces
        }
        List<Outcome> sequential = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sequential.add(send(http, captions, images.get(i % images.size())));
        }

        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<List<Outcome>>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                List<Outcome> outcomes = new ArrayList<>();
                for (int r = 0; r < perClient; r++) {
                    outcomes.add(send(http, captions, images.get(next.getAndIncrement() % images.size())));
                }
                return outcomes;
            }));
        }
        List<Outcome> concurrent = new ArrayList<>();
        for (Future<List<Outcome>> future : futures) {
            concurrent.addAll(future.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();

        List<Double> ok = concurrent.stream().filter(o -> o.status() == 200).map(Outcome::millis).toList();
        long busy = concurrent.stream().filter(o -> o.status() == 503).count();
        long failed = concurrent.size() - ok.size() - busy;
        System.out.println(String.format(Locale.ROOT,
                "{\"sequential_p50_ms\":%.0f,\"clients\":%d,\"requests\":%d,\"ok\":%d,\"busy_503\":%d,\"failed\":%d,"
                        + "\"p50_ms\":%.0f,\"p99_ms\":%.0f,\"max_ms\":%.0f,\"images_per_second\":%.2f}",
                percentile(sequential.stream().map(Outcome::millis).toList(), 50), clients, concurrent.size(),
                ok.size(), busy, failed, percentile(ok, 50), percentile(ok, 99), percentile(ok, 100),
                ok.size() / seconds));
    }

    private static Outcome send(HttpClient http, URI uri, byte[] png) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build();
        long start = System.nanoTime();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return new Outcome(status, (System.nanoTime() - start) / 1e6);
        } catch (IOException e) {
            return new Outcome(-1, (System.nanoTime() - start) / 1e6);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Nearest-rank percentile; NaN when there is nothing to rank. */
    static double percentile(List<Double> values, double percent) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percent / 100 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** The demo model's kind of picture, 192-320 pixels a side, as PNG bytes. */
    private static List<byte[]> shapes(int count, long seed) {
        ShapesDatasetGenerator generator = new ShapesDatasetGenerator(seed);
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                ImageIO.write(ShapesDatasetGenerator.render(generator.randomScene()), "png", bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            images.add(bytes.toByteArray());
        }
        return images;
    }
}
