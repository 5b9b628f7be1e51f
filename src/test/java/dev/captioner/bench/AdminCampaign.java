package dev.captioner.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A red-team campaign against the admin side of the packaged jar (not a test; {@code bench/redteam} runs it after
 * the request campaign): it starts the jar itself so that it can {@code kill -9} it. A dataset full of traps
 * (links out of the data dir, {@code /etc/passwd}, a FIFO, names with NUL, null or missing names, overlong names,
 * paths through a file) must train with the traps skipped; requests that cannot fit or were coerced must be
 * refused at submit; activations racing deletions must leave the served model, {@code ACTIVE} and the answers in
 * agreement; a corrupt manifest must not hide the other models; a job killed in each step must come back and
 * finish without recomputing cached features; failed logins must be throttled. Exits 1 on any violation.
 * <pre>java -cp ... dev.captioner.bench.AdminCampaign JAR WORK_DIR MODELS_DIR [TRIALS]</pre>
 */
public final class AdminCampaign {

    private static final Duration NO_PROGRESS = Duration.ofMinutes(10);
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z]+)\"");
    private static final Pattern STEP = Pattern.compile("\"step\":\"([a-z]+)\"");

    private final Path jar;
    private final Path data;
    private final Path models;
    private final String password = "admin-campaign-" + new Random().nextInt(1_000_000);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<String> violations = new ArrayList<>();
    private final Map<String, Object> summary = new TreeMap<>();
    private Process service;
    private int port;
    private int starts;

    private AdminCampaign(Path jar, Path work, Path models) {
        this.jar = jar;
        this.data = work.resolve("data");
        this.models = models;
    }

    public static void main(String[] args) throws Exception {
        AdminCampaign campaign = new AdminCampaign(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
        int trials = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        long begun = System.nanoTime();
        try {
            campaign.start();
            campaign.trappedDataset();
            campaign.refusedAtSubmit();
            campaign.races(trials);
            campaign.corruptManifest();
            campaign.kills();
            campaign.loginThrottle();
        } finally {
            campaign.stop();
        }
        campaign.summary.put("seconds", (System.nanoTime() - begun) / 1_000_000_000L);
        campaign.summary.put("starts", campaign.starts);
        campaign.summary.put("violations", campaign.violations.size());
        campaign.violations.forEach(v -> System.out.println("VIOLATION " + v));
        System.out.println(RedTeamCampaign.json(campaign.summary));
        System.exit(campaign.violations.isEmpty() ? 0 : 1);
    }

    // ---- sections

    /** A dataset whose every kind of trap is an entry next to 48 good images: trained, traps skipped. */
    private void trappedDataset() throws Exception {
        Path set = data.resolve("trapped");
        Path images = set.resolve("images");
        Files.createDirectories(images);
        Path outside = Files.createTempDirectory("campaign-outside");
        Files.write(outside.resolve("photo.png"), picture(999));
        Files.writeString(outside.resolve("secret.txt"), "not for training");
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            Files.write(images.resolve("good-" + i + ".png"), picture(i));
            entries.add(jsonString("good-" + i + ".png"));
        }
        Files.createSymbolicLink(images.resolve("link-out.png"), outside.resolve("photo.png"));
        Files.createSymbolicLink(images.resolve("passwd.png"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(images.resolve("secret.png"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(images.resolve("dir-out"), outside);
        boolean fifo = new ProcessBuilder("mkfifo", images.resolve("fifo.png").toString()).start().waitFor() == 0;
        Files.write(images.resolve("plain"), picture(1000));
        for (String trap : List.of("link-out.png", "passwd.png", "secret.png", "dir-out/photo.png", "fifo.png",
                "plain/inside.png", "../../outside.png", "/etc/passwd", "a\u0000b.png", "x".repeat(300) + ".png",
                "missing.png", "")) {
            entries.add(jsonString(trap));
        }
        entries.add("null");
        List<String> records = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        Random random = new Random(7);
        String[] words = {"red", "blue", "green", "circle", "square", "left", "right", "small", "large"};
        for (int i = 0; i < entries.size(); i++) {
            records.add("{\"id\":" + i + ",\"file_name\":" + entries.get(i) + "}");
            captions.add("{\"image_id\":" + i + ",\"caption\":\"a " + words[random.nextInt(words.length)] + " "
                    + words[random.nextInt(words.length)] + "\"}");
        }
        records.add("{\"id\":9999}"); // no file_name at all
        Files.writeString(set.resolve("captions.json"), "{\"images\":[" + String.join(",", records)
                + "],\"annotations\":[" + String.join(",", captions) + "]}");

        Answer submitted = admin("POST", "/admin/training-jobs", "{\"dataset\":{\"annotations\":\"trapped/captions.json\","
                + "\"images\":\"trapped/images\"},\"epochs\":2,\"batchSize\":16,\"hiddenSize\":32,\"embeddingSize\":32,"
                + "\"minWordCount\":1,\"metricsImages\":8,\"encoderWeights\":\"random:42\",\"modelId\":\"trapped-1\"}");
        expect("trapped", "submit", submitted, 202);
        String job = await(jobId(submitted), "trapped");
        if (!job.contains("\"status\":\"SUCCEEDED\"")) {
            violations.add("trapped: the job did not succeed: " + excerpt(job));
        }
        Matcher skipped = Pattern.compile("\"skipped\":(\\d+)").matcher(job);
        summary.put("trapped", Map.of("entries", entries.size() + 1, "traps", entries.size() + 1 - 48,
                "fifo_made", fifo, "status", group(STATUS, job), "skipped", skipped.find() ? skipped.group(1) : "?",
                "images", between(job, "\"images\":{\"train\"", "},\"features\"")));
        System.out.println("[trapped] " + RedTeamCampaign.json(summary.get("trapped")));
    }

    /** Requests whose failure can be known at submit time are refused there. */
    private void refusedAtSubmit() throws Exception {
        String dataset = "\"dataset\":{\"annotations\":\"trapped/captions.json\",\"images\":\"trapped/images\"},"
                + "\"encoderWeights\":\"random:42\"";
        Map<String, Object> outcomes = new TreeMap<>();
        refused(outcomes, "batch 10000 x hidden and embedding 4096", "{" + dataset
                + ",\"batchSize\":10000,\"hiddenSize\":4096,\"embeddingSize\":4096}", 400);
        refused(outcomes, "batchSize 1.5", "{" + dataset + ",\"batchSize\":1.5}", 400);
        refused(outcomes, "epochs \"5\"", "{" + dataset + ",\"epochs\":\"5\"}", 400);
        refused(outcomes, "a model id that is taken", "{" + dataset + ",\"modelId\":\"trapped-1\"}", 409);
        refused(outcomes, "activate behind other encoder weights", "{" + dataset.replace("random:42", "random:7")
                + ",\"activate\":true}", 409);
        summary.put("refused_at_submit", outcomes);
        System.out.println("[refused_at_submit] " + RedTeamCampaign.json(outcomes));
    }

    private void refused(Map<String, Object> outcomes, String name, String body, int expected) throws Exception {
        Answer answer = admin("POST", "/admin/training-jobs", body);
        expect("refused_at_submit", name, answer, expected);
        outcomes.put(name, answer.status() + " " + problemType(answer.body()) + ": " + excerpt(detail(answer.body())));
        if (answer.status() == 202) {
            admin("POST", "/admin/training-jobs/" + jobId(answer) + "/cancel", null);
        }
    }

    /**
     * {@code trials} times: a copy of the trained model is activated and deleted at the same moment; afterwards
     * the model the API calls active, {@code ACTIVE} on disk and the model a caption names must be one and exist.
     */
    private void races(int trials) throws Exception {
        Map<String, Integer> outcomes = new TreeMap<>();
        String original = activeModel();
        for (int trial = 0; trial < trials; trial++) {
            String id = "race-" + trial;
            copyModel("trapped-1", id);
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService pair = Executors.newFixedThreadPool(2);
            Future<Answer> activation = pair.submit(() -> {
                together.await();
                return admin("POST", "/admin/models/" + id + "/activate", null);
            });
            Future<Answer> deletion = pair.submit(() -> {
                together.await();
                return admin("DELETE", "/admin/models/" + id, null);
            });
            int activated = activation.get().status();
            int deleted = deletion.get().status();
            pair.shutdown();
            outcomes.merge("activate " + activated + ", delete " + deleted, 1, Integer::sum);
            String active = activeModel();
            String onDisk = Files.readString(models.resolve("ACTIVE")).trim();
            String serving = captionModel();
            boolean exists = Files.isDirectory(models.resolve(active));
            if (!active.equals(onDisk) || !active.equals(serving) || !exists) {
                violations.add("races: trial " + trial + " (activate " + activated + ", delete " + deleted
                        + "): the API says " + active + ", ACTIVE says " + onDisk + ", captions come from " + serving
                        + (exists ? "" : ", and its folder is gone"));
            }
            if (activated == 200 && deleted == 204) {
                violations.add("races: trial " + trial + ": both the activation and the deletion succeeded");
            }
            if (!active.equals(original)) {
                admin("POST", "/admin/models/" + original + "/activate", null);
                admin("DELETE", "/admin/models/" + id, null);
            }
        }
        summary.put("races", Map.of("trials", trials, "outcomes", outcomes));
        System.out.println("[races] " + RedTeamCampaign.json(summary.get("races")));
    }

    /** One unreadable manifest: the others are still listed, the broken one is shown and can be deleted. */
    private void corruptManifest() throws Exception {
        Path broken = models.resolve("broken-1");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("manifest.json"), "{not json");
        Answer list = admin("GET", "/admin/models", null);
        expect("corrupt_manifest", "list", list, 200);
        if (!list.body().contains("trapped-1")) {
            violations.add("corrupt_manifest: the good models are not listed: " + excerpt(list.body()));
        }
        Answer delete = admin("DELETE", "/admin/models/broken-1", null);
        expect("corrupt_manifest", "delete the broken one", delete, 204);
        summary.put("corrupt_manifest", Map.of("list", list.status(), "broken_entry",
                excerpt(between(list.body(), "broken-1", "}")), "delete", delete.status(),
                "folder_left", Files.exists(broken)));
        System.out.println("[corrupt_manifest] " + RedTeamCampaign.json(summary.get("corrupt_manifest")));
    }

    /**
     * A job killed ({@code kill -9}) once in each of its long steps, the service started again each time: it
     * resumes by itself, finishes, reuses the features it had cached, and the service is ready after every start.
     */
    private void kills() throws Exception {
        // fresh images, so that the features step has work to be killed in (the trapped set's are cached)
        Path set = data.resolve("killed");
        Files.createDirectories(set.resolve("images"));
        List<String> records = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Files.write(set.resolve("images/k-" + i + ".png"), picture(5000 + i));
            records.add("{\"id\":" + i + ",\"file_name\":\"k-" + i + ".png\"}");
            captions.add("{\"image_id\":" + i + ",\"caption\":\"a picture number " + (i % 7) + "\"}");
        }
        Files.writeString(set.resolve("captions.json"), "{\"images\":[" + String.join(",", records)
                + "],\"annotations\":[" + String.join(",", captions) + "]}");
        Answer submitted = admin("POST", "/admin/training-jobs", "{\"dataset\":{\"annotations\":\"killed/captions.json\","
                + "\"images\":\"killed/images\"},\"epochs\":30,\"batchSize\":8,\"hiddenSize\":64,\"embeddingSize\":64,"
                + "\"minWordCount\":1,\"metricsImages\":8,\"encoderWeights\":\"random:42\",\"featureBatchSize\":1,"
                + "\"modelId\":\"killed-1\",\"activate\":true}");
        expect("kills", "submit", submitted, 202);
        long id = jobId(submitted);
        List<String> kills = new ArrayList<>();
        for (String step : List.of("features", "train", "train")) {
            String job = awaitStep(id, step);
            if (job == null) {
                break;
            }
            kills.add(step + " at " + excerpt(between(job, "\"progress\":", ",")));
            service.destroyForcibly().waitFor();
            start();
        }
        String job = await(id, "kills");
        String features = between(job, "\"features\":", "}");
        if (!job.contains("\"status\":\"SUCCEEDED\"")) {
            violations.add("kills: the job did not finish after " + kills.size() + " kills: " + excerpt(job));
        }
        Answer caption = caption();
        expect("kills", "a caption after the last start", caption, 200);
        summary.put("kills", Map.of("kills", kills, "status", group(STATUS, job), "features", features,
                "activated", group(Pattern.compile("\"activated\":(true|false)"), job),
                "activation_refused", excerpt(between(job, "\"activationRefused\":", "\",")),
                "active_after", activeModel(), "caption", caption.status(), "service_starts", starts));
        System.out.println("[kills] " + RedTeamCampaign.json(summary.get("kills")));
    }

    /** Wrong passwords from one client: throttled (429 with Retry-After) after a few. */
    private void loginThrottle() throws Exception {
        Map<String, Integer> statuses = new TreeMap<>();
        String wrong = "Basic " + Base64.getEncoder().encodeToString("admin:wrong".getBytes(StandardCharsets.UTF_8));
        boolean retryAfter = true;
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base("/admin/models"))
                    .header("Authorization", wrong).build(), HttpResponse.BodyHandlers.ofString());
            statuses.merge(Integer.toString(answer.statusCode()), 1, Integer::sum);
            if (answer.statusCode() == 429) {
                retryAfter &= answer.headers().firstValue("Retry-After").isPresent();
            }
            checkProblem("login_throttle", "wrong password " + i, new Answer(answer.statusCode(),
                    answer.headers().firstValue("Content-Type").orElse(""), answer.body()));
        }
        if (!statuses.containsKey("429")) {
            violations.add("login_throttle: 12 wrong passwords in a row, none refused as too many: " + statuses);
        }
        if (!retryAfter) {
            violations.add("login_throttle: a 429 without Retry-After");
        }
        summary.put("login_throttle", Map.of("wrong_passwords", 12, "statuses", statuses));
        System.out.println("[login_throttle] " + RedTeamCampaign.json(summary.get("login_throttle")));
    }

    // ---- the service

    private void start() throws Exception {
        port = FreePort.find();
        Files.createDirectories(data);
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", jar.toString(), "--server.port=" + port,
                "--captioner.admin.password=" + password, "--captioner.models-dir=" + models,
                // a service pinned to its encoder, so that a job behind other weights cannot be activated
                "--captioner.encoder-weights=random:42")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolveSibling("service.log").toFile()));
        builder.environment().put("CAPTIONER_DATA_DIR", data.toString());
        builder.environment().put("OMP_WAIT_POLICY", "passive");
        service = builder.start();
        starts++;
        while (true) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service exited with " + service.exitValue() + " on start " + starts);
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base("/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
    }

    private void stop() throws InterruptedException {
        if (service != null) {
            service.destroy();
            service.waitFor(60, TimeUnit.SECONDS);
            service.destroyForcibly();
        }
    }

    // ---- requests and checks

    private record Answer(int status, String contentType, String body) {
    }

    private Answer admin(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base(path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Answer answer = new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
        checkProblem("admin", method + " " + path, answer);
        return answer;
    }

    private Answer caption() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base("/api/v1/captions"))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(picture(5))).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    private void checkProblem(String section, String name, Answer answer) {
        if (answer.status() >= 500) {
            violations.add(section + ": " + name + ": " + answer.status() + " " + excerpt(answer.body()));
        }
        if (answer.status() >= 400 && !answer.contentType().startsWith("application/problem+json")) {
            violations.add(section + ": " + name + ": " + answer.status() + " not problem+json");
        }
        if (answer.status() >= 400 && answer.body().matches("(?s).*([A-Z][a-z]+)+Exception.*")) {
            violations.add(section + ": " + name + ": names a Java exception: " + excerpt(answer.body()));
        }
    }

    private void expect(String section, String name, Answer answer, int status) {
        if (answer.status() != status) {
            violations.add(section + ": " + name + ": expected " + status + ", got " + answer.status() + " "
                    + excerpt(answer.body()));
        }
    }

    /** Polls the job until it ends; fails only when nothing about it has changed for {@link #NO_PROGRESS}. */
    private String await(long id, String section) throws Exception {
        String last = "";
        long lastChange = System.nanoTime();
        while (true) {
            String job = admin("GET", "/admin/training-jobs/" + id, null).body();
            String status = group(STATUS, job);
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status)) {
                return job;
            }
            String moving = job.replaceAll("\"etaSeconds\":\\d+,?", "");
            if (!moving.equals(last)) {
                last = moving;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > NO_PROGRESS.toNanos()) {
                violations.add(section + ": job " + id + " made no progress for 10 minutes: " + excerpt(job));
                return job;
            }
            Thread.sleep(500);
        }
    }

    /** Waits until the job runs {@code step} with some of it done; null when the job ended first. */
    private String awaitStep(long id, String step) throws Exception {
        int epochsBefore = -1;
        while (true) {
            String job = admin("GET", "/admin/training-jobs/" + id, null).body();
            String status = group(STATUS, job);
            if (!status.equals("RUNNING") && !status.equals("QUEUED")) {
                return null;
            }
            int epochs = countOf(job, "\"epoch\":");
            if (epochsBefore < 0) {
                epochsBefore = epochs;
            }
            boolean started = step.equals("features") ? job.matches("(?s).*\"done\":[1-9].*") : epochs > epochsBefore;
            if (step.equals(group(STEP, job)) && started) {
                return job;
            }
            Thread.sleep(200);
        }
    }

    private String activeModel() throws Exception {
        Matcher active = Pattern.compile("\"id\":\"([^\"]+)\",\"active\":true").matcher(admin("GET", "/admin/models", null).body());
        return active.find() ? active.group(1) : "(none)";
    }

    private String captionModel() throws Exception {
        Matcher model = Pattern.compile("\"model\":\\{\"id\":\"([^\"]+)\"").matcher(caption().body());
        return model.find() ? model.group(1) : "(no caption)";
    }

    /** A copy of a stored model under another id, written aside and renamed in, as the store writes. */
    private void copyModel(String from, String to) throws IOException {
        Path staging = models.resolve(".campaign-" + to);
        Files.createDirectories(staging);
        try (Stream<Path> files = Files.list(models.resolve(from))) {
            for (Path file : files.toList()) {
                Files.copy(file, staging.resolve(file.getFileName()));
            }
        }
        Path manifest = staging.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"" + from + "\"", "\"" + to + "\""));
        Files.move(staging, models.resolve(to), StandardCopyOption.ATOMIC_MOVE);
    }

    private URI base(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static long jobId(Answer submitted) {
        Matcher id = Pattern.compile("\"id\":(\\d+)").matcher(submitted.body());
        if (!id.find()) {
            throw new IllegalStateException("no job id in " + submitted.body());
        }
        return Long.parseLong(id.group(1));
    }

    private static byte[] picture(long seed) {
        return HostileImages.encode(HostileImages.picture(64, 64, BufferedImage.TYPE_INT_RGB, new Random(seed)), "png");
    }

    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            out.append(c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : c == '"' ? "\\\"" : String.valueOf(c));
        }
        return out.append('"').toString();
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : "?";
    }

    private static int countOf(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    private static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        if (start < 0) {
            return "";
        }
        int end = text.indexOf(to, start + from.length());
        return text.substring(start, end < 0 ? text.length() : Math.min(text.length(), end + to.length()));
    }

    private static String detail(String problem) {
        Matcher detail = Pattern.compile("\"detail\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(problem);
        return detail.find() ? detail.group(1) : problem;
    }

    private static String problemType(String problem) {
        Matcher type = Pattern.compile("urn:captioner:problem:([a-z0-9-]+)").matcher(problem);
        return type.find() ? type.group(1) : "";
    }

    private static String excerpt(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
