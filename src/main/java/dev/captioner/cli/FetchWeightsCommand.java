package dev.captioner.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.weights.ChecksumAlgorithm;
import dev.captioner.weights.ExpectedChecksum;
import dev.captioner.weights.FetchAttempt;
import dev.captioner.weights.FetchListener;
import dev.captioner.weights.FetchSettings;
import dev.captioner.weights.ImagenetWeights;
import dev.captioner.weights.InstalledWeight;
import dev.captioner.weights.InstalledWeights;
import dev.captioner.weights.Sleeper;
import dev.captioner.weights.WeightsFetchException;
import dev.captioner.weights.WeightsFetcher;
import dev.captioner.weights.WeightsInstallException;
import dev.captioner.weights.WeightsSettings;
import dev.captioner.weights.WeightsSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fetch-weights}: downloads VGG16's ImageNet weights into {@code <data>/weights/vgg16/} from an ordered
 * list of sources, verifies them before installing, or installs a copy downloaded by other means.
 */
@Command(name = "fetch-weights", mixinStandardHelpOptions = true, versionProvider = CaptionerVersion.class,
        sortOptions = false,
        description = {"Downloads VGG16's ImageNet weights into <data-dir>/weights/vgg16/ and verifies their "
                + "checksum before installing them; the service and training jobs use what is installed there "
                + "for encoder weights 'imagenet'.",
                "Sources, tried in order: the --url you give, then captioner.weights.sources (default: Keras' "
                        + "vgg16_weights_tf_dim_ordering_tf_kernels.h5 on Google Cloud Storage and on GitHub, then "
                        + "the DL4J zoo's vgg16_dl4j_inference.zip under captioner.weights.dl4j-base-url).",
                "Exit status: 0 installed (or already installed), 1 every source failed or the file was refused, "
                        + "2 bad arguments."})
public final class FetchWeightsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data dir (default: captioner.data-dir, ./data)")
    Path dataDir;

    @Option(names = "--url", paramLabel = "URL", description = "a source of your own, tried first; needs its checksum "
            + "(--sha256, --md5 or --adler32); its file name must end in .h5 (Keras) or .zip (DL4J zoo)")
    String url;

    @Option(names = "--url-only", description = "try only --url, not the configured sources after it")
    boolean urlOnly;

    @ArgGroup(exclusive = true)
    Checksum checksum;

    static final class Checksum {
        @Option(names = "--sha256", paramLabel = "HEX", description = "the SHA-256 the --url or --file must have")
        String sha256;
        @Option(names = "--md5", paramLabel = "HEX", description = "the MD5 the --url or --file must have")
        String md5;
        @Option(names = "--adler32", paramLabel = "N", description = "the Adler32 the --url or --file must have")
        String adler32;

        ExpectedChecksum parse() {
            ChecksumAlgorithm algorithm = sha256 != null ? ChecksumAlgorithm.SHA256
                    : md5 != null ? ChecksumAlgorithm.MD5 : ChecksumAlgorithm.ADLER32;
            return new ExpectedChecksum(algorithm, sha256 != null ? sha256 : md5 != null ? md5 : adler32);
        }
    }

    @Option(names = "--file", paramLabel = "PATH", description = "install this copy (downloaded by other means) "
            + "instead of downloading: it must match a known source's checksum or the one you give")
    Path file;

    @Option(names = "--list", description = "show what is installed and exit")
    boolean list;

    @Option(names = "--force", description = "download even when weights are installed and verified")
    boolean force;

    @Option(names = "--timeout-seconds", paramLabel = "N", description = "read timeout: the longest a download may "
            + "stall without a byte arriving (default: captioner.weights.read-timeout, 60)")
    Integer readTimeoutSeconds;

    @Option(names = "--connect-timeout-seconds", paramLabel = "N",
            description = "the longest wait for a connection (default: captioner.weights.connect-timeout, 30)")
    Integer connectTimeoutSeconds;

    @Option(names = "--attempts", paramLabel = "N",
            description = "tries per source before moving on to the next (default: captioner.weights.attempts, 3)")
    Integer attempts;

    @Option(names = "--dl4j-base-url", paramLabel = "URL",
            description = "base URL of the DL4J zoo's files, e.g. a mirror (default: captioner.weights.dl4j-base-url)")
    String dl4jBaseUrl;

    @Override
    public Integer call() throws InterruptedException {
        checkArguments();
        List<String> overrides = new ArrayList<>();
        if (dataDir != null) {
            overrides.add("captioner.data-dir=" + dataDir);
        }
        if (dl4jBaseUrl != null) {
            overrides.add("captioner.weights.dl4j-base-url=" + dl4jBaseUrl);
        }
        CaptionerProperties properties = CaptionerSettings.load(overrides);
        Path installDir = WeightsSettings.installDir(properties.dataDir());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (list) {
            return list(new InstalledWeights(installDir), out);
        }
        Optional<ExpectedChecksum> given = Optional.ofNullable(checksum).map(Checksum::parse);
        if (file != null) {
            return installFile(properties, installDir, given, err);
        }
        InstalledWeights installed = new InstalledWeights(installDir);
        Optional<InstalledWeight> existing = installed.find(ImagenetWeights.ID);
        if (existing.isPresent() && !force) {
            Optional<String> problem = installed.verify(existing.get());
            if (problem.isEmpty()) {
                err.println("already installed and verified: " + installed.pathOf(existing.get()) + " ("
                        + existing.get().matchedChecksum() + "); --force downloads again");
                return 0;
            }
            err.println("the installed " + installed.pathOf(existing.get()) + " fails verification (" + problem.get()
                    + "): downloading again");
        }
        List<WeightsSource> sources = new ArrayList<>();
        if (url != null) {
            sources.add(WeightsSettings.source("--url", url, given.orElseThrow()));
        }
        if (!urlOnly) {
            sources.addAll(WeightsSettings.sources(properties.weights()));
        }
        ProgressPrinter progress = ProgressPrinter.to(err);
        WeightsFetcher fetcher = new WeightsFetcher(settings(properties.weights()), Sleeper.REAL, new Listener(progress));
        try {
            InstalledWeight weight = fetcher.fetch(sources, installDir);
            progress.finish();
            err.println("installed " + installDir.resolve(weight.fileName()) + " (" + weight.size() + " bytes, "
                    + weight.matchedChecksum() + ", sha256:" + weight.sha256() + ")");
            return 0;
        } catch (WeightsFetchException e) {
            progress.finish();
            err.println("fetch-weights: " + e.getMessage());
            err.println("nothing was installed; an interrupted download resumes on the next run. Offline: download "
                    + "one of the files elsewhere and run fetch-weights --file PATH");
            return 1;
        }
    }

    private void checkArguments() {
        if (url != null && checksum == null) {
            throw new ParameterException(spec.commandLine(), "--url needs the file's checksum: --sha256, --md5 or --adler32");
        }
        int modes = (list ? 1 : 0) + (file != null ? 1 : 0) + (url != null ? 1 : 0);
        if (modes > 1) {
            throw new ParameterException(spec.commandLine(), "--list, --file and --url are alternatives: give one");
        }
        if (urlOnly && url == null) {
            throw new ParameterException(spec.commandLine(), "--url-only needs --url");
        }
        if (checksum != null && file == null && url == null) {
            throw new ParameterException(spec.commandLine(), "a checksum option goes with --url or --file");
        }
        for (Integer seconds : new Integer[] {readTimeoutSeconds, connectTimeoutSeconds, attempts}) {
            if (seconds != null && seconds < 1) {
                throw new ParameterException(spec.commandLine(), "timeouts and attempts must be at least 1");
            }
        }
        try {
            Optional.ofNullable(checksum).map(Checksum::parse);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private FetchSettings settings(CaptionerProperties.Weights weights) {
        FetchSettings configured = WeightsSettings.fetchSettings(weights);
        return new FetchSettings(
                connectTimeoutSeconds != null ? Duration.ofSeconds(connectTimeoutSeconds) : configured.connectTimeout(),
                readTimeoutSeconds != null ? Duration.ofSeconds(readTimeoutSeconds) : configured.readTimeout(),
                attempts != null ? attempts : configured.maxAttempts(),
                configured.initialBackoff(), configured.maxBackoff());
    }

    private int installFile(CaptionerProperties properties, Path installDir, Optional<ExpectedChecksum> given,
                            PrintWriter err) {
        List<ExpectedChecksum> accepted = new ArrayList<>();
        given.ifPresent(accepted::add);
        WeightsSettings.sources(properties.weights()).forEach(source -> accepted.add(source.checksum()));
        WeightsSource.defaults(properties.weights().dl4jBaseUrl()).forEach(source -> accepted.add(source.checksum()));
        ProgressPrinter progress = ProgressPrinter.to(err);
        try {
            InstalledWeight weight = new WeightsFetcher(FetchSettings.defaults(), Sleeper.REAL, new Listener(progress))
                    .installFile(file, accepted.stream().distinct().toList(), installDir);
            err.println("installed " + installDir.resolve(weight.fileName()) + " from " + file + " ("
                    + weight.matchedChecksum() + ")");
            return 0;
        } catch (WeightsInstallException e) {
            err.println("fetch-weights: " + e.getMessage() + "; nothing was installed");
            return 1;
        }
    }

    private static int list(InstalledWeights installed, PrintWriter out) {
        List<InstalledWeight> weights = installed.list();
        if (weights.isEmpty()) {
            out.println("no weights installed in " + installed.installDir() + " (" + ImagenetWeights.howToInstall() + ")");
            return 0;
        }
        Optional<InstalledWeight> used = installed.find(ImagenetWeights.ID);
        for (InstalledWeight weight : weights) {
            Path path = installed.pathOf(weight);
            String state = !Files.isRegularFile(path) ? "missing" : used.filter(weight::equals).isPresent() ? "in use" : "installed";
            out.printf("%-9s %-8s %s  %,d bytes  %s  sha256:%s  from %s (%s), %s%n", weight.weightsId(), state, path,
                    weight.size(), weight.matchedChecksum(), weight.sha256(), weight.sourceName(), weight.sourceUrl(),
                    weight.installedAt());
        }
        return 0;
    }

    /** What a fetch is doing, as a progress line and a message per event. */
    private static final class Listener implements FetchListener {

        private final ProgressPrinter progress;
        private long startNanos;
        private long startBytes;

        Listener(ProgressPrinter progress) {
            this.progress = progress;
        }

        @Override
        public void started(WeightsSource source, int attempt, long resumeFrom, long totalBytes) {
            startNanos = System.nanoTime();
            startBytes = resumeFrom;
            progress.message((attempt > 1 ? "attempt " + attempt + ": " : "") + "downloading from " + source
                    + (resumeFrom > 0 ? ", resuming at " + megabytes(resumeFrom) : "")
                    + (totalBytes > 0 ? ", " + megabytes(totalBytes) : ""));
        }

        @Override
        public void progress(long bytesDone, long totalBytes) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            double rate = seconds > 0 ? (bytesDone - startBytes) / seconds : 0;
            double fraction = totalBytes > 0 ? (double) bytesDone / totalBytes : -1;
            StringBuilder line = new StringBuilder(fraction >= 0 ? ProgressPrinter.bar(fraction) + " " : "");
            line.append(megabytes(bytesDone)).append(totalBytes > 0 ? " of " + megabytes(totalBytes) : "")
                    .append(String.format("  %.1f MB/s", rate / 1e6));
            if (fraction >= 0 && rate > 0) {
                line.append("  ETA ").append(duration((long) ((totalBytes - bytesDone) / rate)));
            }
            progress.update(line.toString(), fraction);
        }

        @Override
        public void failed(FetchAttempt attempt) {
            progress.message("  " + attempt.source().name() + " attempt " + attempt.attempt() + " failed: " + attempt.reason());
        }

        @Override
        public void verifying(Path file) {
            progress.message("verifying " + file.getFileName() + " ...");
        }

        private static String megabytes(long bytes) {
            return String.format("%.1f MB", bytes / 1e6);
        }

        private static String duration(long seconds) {
            return seconds >= 3600 ? String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                    : seconds >= 60 ? String.format("%dm%02ds", seconds / 60, seconds % 60) : seconds + "s";
        }
    }
}
