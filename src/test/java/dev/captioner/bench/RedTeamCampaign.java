package dev.captioner.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A red-team campaign against a running service (not a test; {@code bench/redteam} starts the packaged jar and runs
 * it): mutated images of every format, decompression and size bombs alone and in crowds, HTTP abuse over raw
 * sockets, slow and abandoning clients and overload, and faults on the admin API. Every answer is checked the same
 * way: no 5xx but the deliberate ones (503 busy with a {@code Retry-After}, 501 for TRACE, 505), every error
 * problem+json, no detail naming a Java class, no request that takes over a minute; the process's resident memory
 * is sampled throughout. Prints one line per section and, last, one JSON object; exits 1 when anything was wrong.
 * <pre>java -cp ... dev.captioner.bench.RedTeamCampaign URL ADMIN_PASSWORD PID [SEED] [MUTANTS] [EXTRA_SEED_FILE...]</pre>
 */
public final class RedTeamCampaign {

    private static final Pattern LEAK = Pattern.compile("[A-Za-z]+(Exception|Error)\\b|\\bjava\\.|\\bjavax\\.|org\\.apache|"
            + "org\\.springframework|com\\.twelvemonkeys|\\bat [a-z]+\\.");
    private static final Duration SLOW = Duration.ofSeconds(60);

    private final URI base;
    private final String host;
    private final int port;
    private final String adminAuthorization;
    private final Resident resident;
    private final long seed;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Object> summary = new TreeMap<>();

    private RedTeamCampaign(URI base, String adminPassword, long pid, long seed) {
        this.base = base;
        this.host = base.getHost();
        this.port = base.getPort();
        this.adminAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
        this.resident = new Resident(pid);
        this.seed = seed;
    }

    public static void main(String[] args) throws Exception {
        RedTeamCampaign campaign = new RedTeamCampaign(URI.create(args[0]), args[1], Long.parseLong(args[2]),
                args.length > 3 ? Long.parseLong(args[3]) : 20261201L);
        int mutants = args.length > 4 ? Integer.parseInt(args[4]) : 3000;
        Map<String, byte[]> seeds = HostileImages.seeds(campaign.seed);
        for (int i = 5; i < args.length; i++) {
            Path extra = Path.of(args[i]);
            seeds.put(extra.getFileName().toString(), Files.readAllBytes(extra));
        }
        campaign.resident.start();
        long start = System.nanoTime();
        campaign.mutants(seeds, mutants);
        campaign.bombs();
        campaign.httpAbuse();
        campaign.admin();
        campaign.slowClients(300);
        campaign.abandoningClients(32);
        campaign.overload(48, 30);
        campaign.stillServing();
        campaign.summary.put("seconds", (System.nanoTime() - start) / 1_000_000_000L);
        campaign.summary.put("violations", campaign.violations.size());
        campaign.violations.forEach(v -> System.out.println("VIOLATION " + v));
        System.out.println(json(campaign.summary));
        System.exit(campaign.violations.isEmpty() ? 0 : 1);
    }

    // ---- sections

    /** {@code count} mutants spread over the seeds, four clients at a time; the content type never says which. */
    private void mutants(Map<String, byte[]> seeds, int count) throws Exception {
        List<String> names = new ArrayList<>(seeds.keySet());
        List<byte[]> all = new ArrayList<>(seeds.values());
        Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Mutator mutator = new Mutator(seed);
        List<Mutator.Mutant> batch = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = names.get(i % names.size());
            batch.add(mutator.mutate(seeds.get(name), all));
            origins.add(name);
        }
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Mutator.Mutant mutant = batch.get(i);
            String label = "mutant " + i + " (" + origins.get(i) + ", " + mutant.kind() + ")";
            done.add(clients.submit(() -> {
                Answer answer = post("/api/v1/captions", "application/octet-stream", mutant.bytes(), null);
                check("mutants", label, answer, false);
                statuses.computeIfAbsent((answer.outcome() + " " + answer.problemType()).trim(),
                        s -> new AtomicInteger()).incrementAndGet();
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        clients.shutdown();
        section("mutants", Map.of("count", count, "seeds", names.size(), "statuses", new TreeMap<>(statuses),
                "peak_rss_mb", resident.takePeakMb()));
    }

    /** Each bomb alone (time, peak memory), then crowds of the costly ones at once. */
    private void bombs() throws Exception {
        Map<String, byte[]> bombs = HostileImages.bombs();
        Map<String, Object> alone = new TreeMap<>();
        long baseline = resident.nowMb();
        for (Map.Entry<String, byte[]> bomb : bombs.entrySet()) {
            // resident memory rarely falls back after a rise: each bomb is judged from where it starts
            long before = resident.takePeakMb();
            Answer answer = post("/api/v1/captions", "application/octet-stream", bomb.getValue(), null);
            check("bombs", bomb.getKey(), answer, false);
            long peak = resident.takePeakMb();
            alone.put(bomb.getKey(), String.format(Locale.ROOT, "%s %d bytes %.2f s, resident %d -> %d MB",
                    answer.outcome(), bomb.getValue().length, answer.seconds(), before, peak));
            if (peak - before > 1024) {
                violations.add("bombs: " + bomb.getKey() + " took resident memory from " + before + " to " + peak + " MB");
            }
        }
        Map<String, Object> crowds = new TreeMap<>();
        for (String name : List.of("gif-screen-6300x6300-one-pixel", "png-rgb16-6300x6300-zeros",
                "jpeg-progressive-6000x6000", "bmp-bi-png-size-2^31")) {
            resident.takePeakMb();
            long begun = System.nanoTime();
            Map<String, AtomicInteger> statuses = crowd(16, () -> {
                Answer answer = post("/api/v1/captions", "application/octet-stream", bombs.get(name), null);
                check("bombs", "16 at once: " + name, answer, false);
                return answer.outcome();
            });
            crowds.put(name, String.format(Locale.ROOT, "%s in %.1f s, peak %d MB", new TreeMap<>(statuses),
                    (System.nanoTime() - begun) / 1e9, resident.takePeakMb()));
        }
        section("bombs", Map.of("alone", alone, "sixteen_at_once", crowds, "baseline_rss_mb", baseline));
    }

    private record RawCase(String name, String request, int expected) {
    }

    /** Requests a browser or HttpClient would never send; each must get the status expected, as problem+json. */
    private void httpAbuse() throws Exception {
        String png = "Host: x\r\nContent-Type: image/png\r\n";
        List<RawCase> cases = new ArrayList<>(List.of(
                new RawCase("percent %ZZ in query", "POST /api/v1/captions?beamSize=%ZZ HTTP/1.1\r\n" + png
                        + "Content-Length: 0\r\n\r\n", 400),
                new RawCase("percent at end of query", "POST /api/v1/captions?mode=be% HTTP/1.1\r\n" + png
                        + "Content-Length: 0\r\n\r\n", 400),
                new RawCase("parameter without a name", "POST /api/v1/captions?= HTTP/1.1\r\n" + png
                        + "Content-Length: 0\r\n\r\n", 400),
                new RawCase("20 KB header", "GET /actuator/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                        + "\r\n\r\n", 400),
                new RawCase("100 KB request line", "GET /" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new RawCase("Content-Length not a number", "POST /api/v1/captions HTTP/1.1\r\n" + png
                        + "Content-Length: abc\r\n\r\n", 400),
                new RawCase("two Content-Lengths", "POST /api/v1/captions HTTP/1.1\r\n" + png
                        + "Content-Length: 3\r\nContent-Length: 5\r\n\r\nabcde", 400),
                new RawCase("negative Content-Length", "POST /api/v1/captions HTTP/1.1\r\n" + png
                        + "Content-Length: -5\r\n\r\n", 400),
                new RawCase("Content-Length 2^63", "POST /api/v1/captions HTTP/1.1\r\n" + png
                        + "Content-Length: 9223372036854775808\r\n\r\n", 400),
                new RawCase("NUL in a header", "GET /actuator/health HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n", 400),
                new RawCase("no Host", "GET /actuator/health HTTP/1.1\r\n\r\n", 400),
                new RawCase("%2F in the path", "GET /api/v1%2Fcaptions HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new RawCase("// in the path", "POST //api/v1/captions HTTP/1.1\r\n" + png + "Content-Length: 0\r\n\r\n", 400),
                new RawCase(";jsessionid in the path", "GET /actuator/health;jsessionid=abc HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new RawCase("overlong UTF-8 in the path", "GET /api/v1/%C0%AF HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new RawCase("../ in the path", "GET /api/v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new RawCase("unknown method", "BREW /api/v1/captions HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new RawCase("TRACE", "TRACE /api/v1/captions HTTP/1.1\r\nHost: x\r\n\r\n", 501),
                new RawCase("HTTP/3.0", "GET /actuator/health HTTP/3.0\r\nHost: x\r\n\r\n", 505),
                new RawCase("GET /error", "GET /error HTTP/1.1\r\nHost: x\r\n\r\n", 404),
                new RawCase("GET on the caption path", "GET /api/v1/captions HTTP/1.1\r\nHost: x\r\n\r\n", 405),
                new RawCase("Accept: garbage", "POST /api/v1/captions HTTP/1.1\r\n" + png
                        + "Accept: garbage\r\nContent-Length: 0\r\n\r\n", 406),
                new RawCase("text/plain body", "POST /api/v1/captions HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: 5\r\n\r\nhello", 415),
                new RawCase("JSON body", "POST /api/v1/captions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 2\r\n\r\n{}", 415),
                new RawCase("bad chunk size", "POST /api/v1/captions HTTP/1.1\r\n" + png
                        + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400),
                new RawCase("unknown transfer coding", "POST /api/v1/captions HTTP/1.1\r\n" + png
                        + "Transfer-Encoding: gzip2\r\n\r\n", 501),
                new RawCase("Expect: 100-continue for 50 MB", "POST /api/v1/captions HTTP/1.1\r\n" + png
                        + "Expect: 100-continue\r\nContent-Length: 52428800\r\n\r\n", 413),
                new RawCase("beamSize out of range", "POST /api/v1/captions?beamSize=1000 HTTP/1.1\r\n" + png
                        + "Content-Length: 0\r\n\r\n", 400),
                new RawCase("metrics without credentials", "GET /actuator/metrics HTTP/1.1\r\nHost: x\r\n\r\n", 401),
                new RawCase("no such path", "GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n", 404)));
        cases.addAll(multipartCases());
        Map<String, Object> outcomes = new TreeMap<>();
        for (RawCase c : cases) {
            Answer answer = raw(c.request().getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(60));
            check("http", c.name(), answer, c.expected() == 501 || c.expected() == 505);
            if (answer.status() != c.expected()) {
                violations.add("http: " + c.name() + ": expected " + c.expected() + ", got " + answer.outcome());
            }
            outcomes.put(c.name(), answer.outcome() + " " + answer.problemType());
        }
        outcomes.put("stalled body", stalledBody());
        outcomes.put("endless chunked body", endlessChunkedBody());
        outcomes.put("three pipelined requests", pipelined());
        outcomes.put("public health has no details", publicHealth());
        section("http", Map.of("cases", outcomes.size(), "outcomes", outcomes));
    }

    private List<RawCase> multipartCases() {
        String boundary = "b0undary";
        StringBuilder manyParts = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            manyParts.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"f").append(i)
                    .append("\"\r\n\r\nx\r\n");
        }
        manyParts.append("--").append(boundary).append("--\r\n");
        String bigHeader = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
                + "X-Pad: " + "p".repeat(20_000) + "\r\n\r\nx\r\n--" + boundary + "--\r\n";
        String extraField = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"beamSize\"\r\n\r\n3\r\n--"
                + boundary + "--\r\n";
        String cutShort = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\n"
                + "\u0089PNG";
        return List.of(
                multipart("multipart with 1000 parts", boundary, manyParts.toString(), 400),
                multipart("multipart part header of 20 KB", boundary, bigHeader, 400),
                multipart("multipart with another field", boundary, extraField, 400),
                multipart("multipart cut short", boundary, cutShort, 400),
                new RawCase("multipart without a boundary", "POST /api/v1/captions HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: multipart/form-data\r\nContent-Length: 4\r\n\r\nabcd", 400));
    }

    private static RawCase multipart(String name, String boundary, String body, int expected) {
        return new RawCase(name, "POST /api/v1/captions HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary="
                + boundary + "\r\nContent-Length: " + body.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n\r\n" + body,
                expected);
    }

    /** Ten of the thousand bytes declared, then silence: a 408 within the connection timeout. */
    private String stalledBody() throws IOException {
        long begun = System.nanoTime();
        Answer answer = raw(("POST /api/v1/captions HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                + "Content-Length: 1000\r\n\r\n0123456789").getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(90));
        check("http", "stalled body", answer, false);
        expect("http", "stalled body", answer, 408);
        return String.format(Locale.ROOT, "%s after %.1f s", answer.outcome(), (System.nanoTime() - begun) / 1e9);
    }

    /** Chunks with no end, the answer read while sending (as curl does): a 413 once over the image limit. */
    private String endlessChunkedBody() {
        long sent = 0;
        try (RawHttp.Connection connection = new RawHttp.Connection(host, port)) {
            connection.send("POST /api/v1/captions HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            try {
                for (; sent < 64L << 20 && !connection.answered(); sent += 0x10000) {
                    connection.send(chunk);
                }
            } catch (IOException closed) {
                // the server stopped reading: its answer is already on the way
            }
            Answer answer = Answer.of(connection.read(Duration.ofSeconds(60)), 0);
            check("http", "endless chunked body", answer, false);
            expect("http", "endless chunked body", answer, 413);
            return answer.outcome() + " after " + (sent >> 20) + " MB sent";
        } catch (IOException e) {
            violations.add("http: endless chunked body: no answer after " + (sent >> 20) + " MB: " + e.getMessage());
            return "no answer";
        }
    }

    private String pipelined() {
        String one = "GET /actuator/health/liveness HTTP/1.1\r\nHost: x\r\n\r\n";
        try (RawHttp.Connection connection = new RawHttp.Connection(host, port)) {
            connection.send(one + one + one);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(connection.read(Duration.ofSeconds(30)).status());
            }
            if (!statuses.equals(List.of(200, 200, 200))) {
                violations.add("http: three pipelined requests answered " + statuses);
            }
            return statuses.toString();
        } catch (IOException e) {
            violations.add("http: three pipelined requests: " + e.getMessage());
            return "failed";
        }
    }

    private String publicHealth() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (health.body().contains("diskSpace") || health.body().contains("components")) {
            violations.add("http: public /actuator/health shows details: " + health.body());
        }
        return health.statusCode() + " " + health.body();
    }

    /** Admin API faults: credentials, request bodies, paths outside the data dir, ids that do not exist. */
    private void admin() throws Exception {
        Map<String, Object> outcomes = new TreeMap<>();
        admin(outcomes, "no credentials", "GET", "/admin/models", null, null, 401);
        admin(outcomes, "wrong password", "GET", "/admin/models", null, "Basic "
                + Base64.getEncoder().encodeToString("admin:wrong".getBytes(StandardCharsets.UTF_8)), 401);
        admin(outcomes, "not Basic", "GET", "/admin/models", null, "Bearer abc", 401);
        admin(outcomes, "job: not JSON", "POST", "/admin/training-jobs", "{not json", adminAuthorization, 400);
        admin(outcomes, "job: empty object", "POST", "/admin/training-jobs", "{}", adminAuthorization, 400);
        admin(outcomes, "job: ../ out of the data dir", "POST", "/admin/training-jobs",
                "{\"dataset\":{\"annotations\":\"../../../etc/passwd\",\"images\":\"x\"}}", adminAuthorization, 400);
        admin(outcomes, "job: absolute path", "POST", "/admin/training-jobs",
                "{\"dataset\":{\"annotations\":\"/etc/passwd\",\"images\":\"/etc\"}}", adminAuthorization, 400);
        admin(outcomes, "job: files that do not exist", "POST", "/admin/training-jobs",
                "{\"dataset\":{\"annotations\":\"none.json\",\"images\":\"none\"}}", adminAuthorization, 400);
        admin(outcomes, "job: epochs 10^9", "POST", "/admin/training-jobs",
                "{\"dataset\":{\"annotations\":\"a.json\",\"images\":\"i\"},\"epochs\":1000000000}", adminAuthorization, 400);
        admin(outcomes, "job: JSON nested 100,000 deep", "POST", "/admin/training-jobs",
                "[".repeat(100_000) + "]".repeat(100_000), adminAuthorization, 400);
        admin(outcomes, "job: 2 MB body", "POST", "/admin/training-jobs",
                "{\"pad\":\"" + "x".repeat(2 << 20) + "\"}", adminAuthorization, 413);
        admin(outcomes, "job id not a number", "GET", "/admin/training-jobs/abc", null, adminAuthorization, 400);
        admin(outcomes, "no such job", "GET", "/admin/training-jobs/987654321", null, adminAuthorization, 404);
        admin(outcomes, "cancel no such job", "POST", "/admin/training-jobs/987654321/cancel", null, adminAuthorization, 404);
        admin(outcomes, "list limit 0", "GET", "/admin/training-jobs?limit=0", null, adminAuthorization, 400);
        admin(outcomes, "no such model", "POST", "/admin/models/no-such-model/activate", null, adminAuthorization, 404);
        admin(outcomes, "model id with ..", "GET", "/admin/models/..%2F..%2Fetc", null, adminAuthorization, 400);
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(base.resolve("/admin/models"))
                .header("Authorization", adminAuthorization).build(), HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher active = Pattern.compile("\"id\":\"([^\"]+)\",\"active\":true").matcher(models.body());
        if (active.find()) {
            admin(outcomes, "delete the active model", "DELETE", "/admin/models/" + active.group(1), null,
                    adminAuthorization, 409);
        } else {
            violations.add("admin: no active model listed: " + models.body());
        }
        section("admin", Map.of("cases", outcomes.size(), "outcomes", outcomes));
    }

    private void admin(Map<String, Object> outcomes, String name, String method, String path, String json,
                       String authorization, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        Answer answer = send(request.build());
        check("admin", name, answer, false);
        expect("admin", name, answer, expected);
        outcomes.put(name, answer.outcome() + " " + answer.problemType());
    }

    /**
     * {@code count} connections each trickling one body byte every 5 s while six normal captions are asked for:
     * the normal ones must all be answered 200.
     */
    private void slowClients(int count) throws Exception {
        byte[] photo = HostileImages.encode(HostileImages.picture(640, 480, java.awt.image.BufferedImage.TYPE_INT_RGB,
                new Random(seed)), "jpeg");
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, AtomicInteger> tricklers = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(count);
        for (int i = 0; i < count; i++) {
            pool.submit(() -> tricklers.computeIfAbsent(trickle(stop), s -> new AtomicInteger()).incrementAndGet());
        }
        Thread.sleep(15_000);
        List<String> normal = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Answer answer = post("/api/v1/captions", "image/jpeg", photo, null);
            check("slow-clients", "normal request " + i, answer, false);
            expect("slow-clients", "normal request " + i, answer, 200);
            normal.add(String.format(Locale.ROOT, "%s %.2f s", answer.outcome(), answer.seconds()));
        }
        stop.set(true);
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.MINUTES);
        section("slow-clients", Map.of("tricklers", count, "trickler_outcomes", new TreeMap<>(tricklers),
                "normal", normal, "peak_rss_mb", resident.takePeakMb()));
    }

    /** Trickles until told to stop or answered; what the answer was. */
    private String trickle(AtomicBoolean stop) {
        try (RawHttp.Connection connection = new RawHttp.Connection(host, port)) {
            connection.send("POST /api/v1/captions HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\n"
                    + "Content-Length: 100000\r\n\r\n");
            try {
                for (int tick = 0; !stop.get() && !connection.answered(); tick++) {
                    if (tick % 20 == 0) {
                        connection.send(new byte[] {(byte) 0xFF});
                    }
                    Thread.sleep(250);
                }
            } catch (IOException closed) {
                // refused or evicted and closed: the answer, if it came, says which
            }
            if (!connection.answered()) {
                return stop.get() ? "still trickling at the end" : "closed without an answer";
            }
            Answer answer = Answer.of(connection.read(Duration.ofSeconds(30)), 0);
            check("slow-clients", "trickler", answer, false);
            return answer.outcome() + " " + answer.problemType();
        } catch (IOException e) {
            return "failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Clients that send a large photo and hang up at once; the service must stay responsive afterwards. */
    private void abandoningClients(int count) throws Exception {
        byte[] photo = HostileImages.encode(HostileImages.picture(2000, 1500, java.awt.image.BufferedImage.TYPE_INT_RGB,
                new Random(seed + 1)), "jpeg");
        byte[] request = concat(("POST /api/v1/captions HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\n"
                + "Content-Length: " + photo.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), photo);
        AtomicInteger sent = new AtomicInteger();
        crowd(count, () -> {
            try (RawHttp.Connection connection = new RawHttp.Connection(host, port)) {
                connection.send(request);
                sent.incrementAndGet();
            } catch (IOException e) {
                // refused early: also fine
            }
            return "sent";
        });
        // the service cannot tell that these clients left (Tomcat gives a servlet no signal): their photos are
        // still encoded, and until that is done the next request is refused as busy; how long that lasts
        byte[] small = HostileImages.encode(HostileImages.picture(320, 240, java.awt.image.BufferedImage.TYPE_INT_RGB,
                new Random(seed + 2)), "jpeg");
        long begun = System.nanoTime();
        Map<String, Integer> until = new TreeMap<>();
        Answer answer;
        do {
            answer = post("/api/v1/captions", "image/jpeg", small, null);
            check("abandoning", "request after the crowd", answer, false);
            until.merge((answer.outcome() + " " + answer.problemType()).trim(), 1, Integer::sum);
            if (answer.status() == 503) {
                Thread.sleep(500);
            }
        } while (answer.status() == 503 && System.nanoTime() - begun < TimeUnit.MINUTES.toNanos(5));
        expect("abandoning", "a request once the abandoned photos are done", answer, 200);
        section("abandoning", Map.of("clients", count, "sent_whole_photo", sent.get(), "answers_until_served", until,
                "seconds_until_served", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - begun) / 1e9)));
    }

    /** {@code clients} clients retrying at once for {@code seconds}: 200s and 503s with Retry-After, nothing else. */
    private void overload(int clients, int seconds) throws Exception {
        byte[] photo = HostileImages.encode(HostileImages.picture(1024, 768, java.awt.image.BufferedImage.TYPE_INT_RGB,
                new Random(seed + 3)), "jpeg");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        resident.takePeakMb();
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        crowd(clients, () -> {
            while (System.nanoTime() < end) {
                Answer answer = post("/api/v1/captions", "image/jpeg", photo, null);
                check("overload", "overload request", answer, false);
                answers.computeIfAbsent(answer.outcome() + (answer.status() == 503 ? " " + answer.problemType() : ""),
                        s -> new AtomicInteger()).incrementAndGet();
            }
            return "done";
        });
        section("overload", Map.of("clients", clients, "seconds", seconds, "answers", new TreeMap<>(answers),
                "peak_rss_mb", resident.takePeakMb()));
    }

    private void stillServing() throws Exception {
        byte[] small = HostileImages.encode(HostileImages.picture(320, 240, java.awt.image.BufferedImage.TYPE_INT_RGB,
                new Random(seed + 4)), "png");
        Answer caption = post("/api/v1/captions", "image/png", small, null);
        expect("end", "a caption after the campaign", caption, 200);
        Answer live = send(HttpRequest.newBuilder(base.resolve("/actuator/health/liveness")).build());
        expect("end", "liveness after the campaign", live, 200);
        section("end", Map.of("caption", caption.outcome() + " " + caption.body().replaceAll("\\s+", " "),
                "liveness", live.outcome(), "rss_mb", resident.nowMb()));
    }

    // ---- requests and checks

    /** What came back: a status (-1: no answer in time, -2: the connection failed), headers of note, body. */
    record Answer(int status, String contentType, String retryAfter, String body, double seconds) {

        static Answer of(RawHttp.Response response, double seconds) {
            return new Answer(response.status(), String.valueOf(response.header("content-type")),
                    response.header("retry-after"), response.text(), seconds);
        }

        String outcome() {
            return status == -1 ? "no-answer" : status == -2 ? "connection-failed" : Integer.toString(status);
        }

        String problemType() {
            java.util.regex.Matcher type = Pattern.compile("urn:captioner:problem:([a-z0-9-]+)").matcher(body);
            return type.find() ? type.group(1) : "";
        }
    }

    private Answer post(String path, String contentType, byte[] body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private Answer send(HttpRequest request) {
        long begun = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Retry-After").orElse(null), response.body(),
                    (System.nanoTime() - begun) / 1e9);
        } catch (HttpTimeoutException e) {
            return new Answer(-1, "", null, "", (System.nanoTime() - begun) / 1e9);
        } catch (IOException e) {
            return new Answer(-2, "", null, String.valueOf(e.getMessage()), (System.nanoTime() - begun) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-2, "", null, "interrupted", 0);
        }
    }

    private Answer raw(byte[] request, Duration wait) {
        long begun = System.nanoTime();
        try (RawHttp.Connection connection = new RawHttp.Connection(host, port)) {
            connection.send(request);
            RawHttp.Response response = connection.read(wait);
            while (response.status() == 100) {
                response = connection.read(wait);
            }
            return Answer.of(response, (System.nanoTime() - begun) / 1e9);
        } catch (java.net.SocketTimeoutException e) {
            return new Answer(-1, "", null, "", (System.nanoTime() - begun) / 1e9);
        } catch (IOException e) {
            return new Answer(-2, "", null, String.valueOf(e.getMessage()), (System.nanoTime() - begun) / 1e9);
        }
    }

    /** The same rules for every answer; {@code deliberate5xx}: a 501 or 505 is the right answer here. */
    private void check(String section, String name, Answer answer, boolean deliberate5xx) {
        String where = section + ": " + name + ": ";
        if (answer.status() == -1) {
            violations.add(where + "no answer in " + Math.round(answer.seconds()) + " s");
            return;
        }
        if (answer.status() == -2) {
            violations.add(where + "connection failed: " + answer.body());
            return;
        }
        boolean busy = answer.status() == 503 && answer.retryAfter() != null;
        if (answer.status() >= 500 && !busy && !(deliberate5xx && answer.status() != 500)) {
            violations.add(where + answer.status() + " " + answer.body());
        }
        if (answer.status() >= 400 && !answer.contentType().startsWith("application/problem+json")) {
            violations.add(where + answer.status() + " answered as '" + answer.contentType() + "', not problem+json");
        }
        if (answer.status() >= 400 && LEAK.matcher(answer.body()).find()) {
            violations.add(where + "the problem names Java internals: " + answer.body());
        }
        if (answer.seconds() > SLOW.toSeconds()) {
            violations.add(where + String.format(Locale.ROOT, "took %.0f s", answer.seconds()));
        }
    }

    private void expect(String section, String name, Answer answer, int status) {
        if (answer.status() != status) {
            violations.add(section + ": " + name + ": expected " + status + ", got " + answer.outcome() + " "
                    + answer.body().replaceAll("\\s+", " "));
        }
    }

    private interface Call {
        String run() throws Exception;
    }

    /** {@code n} calls at once; how many ended each way. */
    private static Map<String, AtomicInteger> crowd(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            results.add(pool.submit(call::run));
        }
        Map<String, AtomicInteger> counts = new TreeMap<>();
        for (Future<String> result : results) {
            counts.computeIfAbsent(result.get(), s -> new AtomicInteger()).incrementAndGet();
        }
        pool.shutdown();
        return counts;
    }

    private void section(String name, Map<String, Object> results) {
        summary.put(name, results);
        System.out.println("[" + name + "] " + json(results));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Enough JSON for nested maps, lists, strings and numbers. */
    static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(json(String.valueOf(k))).append(':')
                    .append(json(v)));
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            list.forEach(v -> out.append(out.length() > 1 ? "," : "").append(json(v)));
            return out.append(']').toString();
        }
        if (value instanceof Number || value instanceof AtomicInteger || value instanceof AtomicLong) {
            return value.toString();
        }
        return '"' + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** The service's resident memory, sampled every 100 ms; the peak since it was last taken. */
    private static final class Resident extends Thread {

        private final Path status;
        private final AtomicLong peakKb = new AtomicLong();

        Resident(long pid) {
            super("resident-memory");
            setDaemon(true);
            status = Path.of("/proc", Long.toString(pid), "status");
        }

        @Override
        public void run() {
            while (true) {
                peakKb.accumulateAndGet(readKb(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long nowMb() {
            return readKb() / 1024;
        }

        long takePeakMb() {
            return Math.max(peakKb.getAndSet(readKb()), readKb()) / 1024;
        }

        private long readKb() {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the process has gone: the last check reports it
            }
            return 0;
        }
    }
}
