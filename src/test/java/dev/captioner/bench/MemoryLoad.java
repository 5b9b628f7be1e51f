package dev.captioner.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

/**
 * A busy spell for the memory benchmark (not a test): {@code clients} clients for {@code seconds}, each sending
 * photos as fast as answers come back (after a 503 again at once, or {@code polite}: after its Retry-After), a mix
 * of sizes from 320x240 to 4000x3000
 * as JPEG and PNG, so decoding, the encoder queue and the 503 path all run. Prints one JSON line of counts.
 * <pre>java -cp ... dev.captioner.bench.MemoryLoad http://localhost:8080 [clients] [seconds] [eager|polite]</pre>
 */
public final class MemoryLoad {

    private static final Pattern PROBLEM_TYPE = Pattern.compile("urn:captioner:problem:([a-z-]+)");

    public static void main(String[] args) throws Exception {
        URI captions = URI.create(args[0] + "/api/v1/captions");
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        boolean polite = args.length > 3 && args[3].equals("polite");
        List<Photo> photos = List.of(
                photo(320, 240, "png", 1), photo(1024, 768, "jpeg", 2), photo(2000, 1500, "jpeg", 3),
                photo(4000, 3000, "jpeg", 4), photo(1600, 1200, "png", 5), photo(640, 480, "jpeg", 6));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> busyTypes = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    Photo photo = photos.get(next.getAndIncrement() % photos.size());
                    HttpResponse<String> answer = send(http, captions, photo);
                    int status = answer == null ? -1 : answer.statusCode();
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    if (status == 503) {
                        Matcher type = PROBLEM_TYPE.matcher(answer.body());
                        busyTypes.computeIfAbsent(type.find() ? type.group(1) : "?", t -> new AtomicInteger())
                                .incrementAndGet();
                        if (polite) {
                            pause(answer.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L));
                        }
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 300L, TimeUnit.SECONDS);
        int ok = count(statuses, 200);
        int busy = count(statuses, 503);
        int total = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
        System.out.println(String.format(Locale.ROOT, "{\"clients\":%d,\"seconds\":%d,\"requests\":%d,\"ok\":%d,"
                + "\"images_per_second\":%.2f,\"busy_503\":%d,\"other\":%d,\"busy_by_type\":\"%s\"}", clients, seconds,
                total, ok, ok / (double) seconds, busy, total - ok - busy, new TreeMap<>(busyTypes)));
    }

    private static void pause(long seconds) {
        try {
            Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Photo(byte[] bytes, String type) {
    }

    private static int count(Map<Integer, AtomicInteger> statuses, int status) {
        AtomicInteger n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    private static HttpResponse<String> send(HttpClient http, URI uri, Photo photo) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "image/" + photo.type())
                .POST(HttpRequest.BodyPublishers.ofByteArray(photo.bytes())).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Soft noise with a few shapes: compresses like a photo, neither trivially nor not at all. */
    private static Photo photo(int width, int height, String format, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int i = 0; i < 60; i++) {
            g.setColor(new Color(random.nextInt(0x1000000)));
            g.fillOval(random.nextInt(width), random.nextInt(height), width / 4, height / 4);
        }
        g.dispose();
        for (int y = 0; y < height; y += 2) {
            for (int x = 0; x < width; x += 2) {
                image.setRGB(x, y, image.getRGB(x, y) ^ random.nextInt(0x0f0f0f));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Photo(out.toByteArray(), format);
    }
}
