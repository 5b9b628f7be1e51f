package dev.captioner.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything an operator can tune, bound from {@code captioner.*} (and so from environment variables such
 * as {@code CAPTIONER_MODELS_DIR}).
 *
 * @param modelsDir      where trained models live, one folder each
 * @param dataDir        root for datasets and caches; request paths may not leave it
 * @param encoderWeights VGG16 weights to serve with ({@code imagenet} or {@code random:<seed>}); empty means
 *                       "whatever the active model was trained with"
 * @param encoderWeightsFile optional VGG16 ImageNet weight file (Keras HDF5 or DL4J zoo zip) to use instead of the
 *                       one {@code fetch-weights} installed; verified against the known checksums
 * @param weights        where ImageNet weights are fetched from, and how patiently
 * @param maxImageSize   largest accepted upload
 * @param maxPixels      largest accepted width x height, checked from the image header before decoding
 * @param generation     defaults for caption generation
 * @param training       training jobs
 * @param admin          credentials for the admin API (HTTP Basic)
 * @param batching       micro-batching of concurrent caption requests through the encoder
 * @param uploads        how request bodies are received: how many at once, how much memory, how long
 * @param memory         giving memory back to the system once a busy spell is over
 * @param models         how a replica follows the model store it shares with others
 * @param metrics        who may scrape the meters
 */
@ConfigurationProperties("captioner")
public record CaptionerProperties(
        @DefaultValue(CaptionerProperties.DEFAULT_MODELS_DIR) Path modelsDir,
        @DefaultValue(CaptionerProperties.DEFAULT_DATA_DIR) Path dataDir,
        @DefaultValue("") String encoderWeights,
        Path encoderWeightsFile,
        @DefaultValue(CaptionerProperties.DEFAULT_MAX_IMAGE_SIZE) DataSize maxImageSize,
        @DefaultValue(CaptionerProperties.DEFAULT_MAX_PIXELS) long maxPixels,
        @DefaultValue Generation generation,
        @DefaultValue Training training,
        @DefaultValue Admin admin,
        @DefaultValue Batching batching,
        @DefaultValue Weights weights,
        @DefaultValue Uploads uploads,
        @DefaultValue Memory memory,
        @DefaultValue Models models,
        @DefaultValue Metrics metrics) {

    static final String DEFAULT_MODELS_DIR = "./models";
    static final String DEFAULT_DATA_DIR = "./data";
    static final String DEFAULT_MAX_IMAGE_SIZE = "10MB";
    static final String DEFAULT_MAX_PIXELS = "40000000";

    /** The service's defaults, for command-line tools that run without Spring. */
    public static CaptionerProperties defaults(Path modelsDir) {
        return new CaptionerProperties(modelsDir, Path.of(DEFAULT_DATA_DIR), "", null,
                DataSize.parse(DEFAULT_MAX_IMAGE_SIZE), Long.parseLong(DEFAULT_MAX_PIXELS), Generation.defaults(),
                Training.defaults(), new Admin("admin", ""), Batching.defaults(), Weights.defaults(), Uploads.defaults(),
                Memory.defaults(), Models.defaults(), Metrics.defaults());
    }

    /**
     * @param beamSize  beams kept per step
     * @param maxLength longest caption in words
     * @param maxBeamSize largest beam a request may ask for
     */
    public record Generation(
            @DefaultValue(Generation.DEFAULT_BEAM_SIZE) int beamSize,
            @DefaultValue(Generation.DEFAULT_MAX_LENGTH) int maxLength,
            @DefaultValue(Generation.DEFAULT_MAX_BEAM_SIZE) int maxBeamSize) {

        static final String DEFAULT_BEAM_SIZE = "3";
        static final String DEFAULT_MAX_LENGTH = "16";
        static final String DEFAULT_MAX_BEAM_SIZE = "20";

        static Generation defaults() {
            return new Generation(Integer.parseInt(DEFAULT_BEAM_SIZE), Integer.parseInt(DEFAULT_MAX_LENGTH),
                    Integer.parseInt(DEFAULT_MAX_BEAM_SIZE));
        }
    }

    /**
     * @param resumeInterrupted restart, at startup, jobs that were running when the service last stopped
     * @param maxYield          longest a training job waits between its batches for caption requests in
     *                          flight to finish (so requests keep the cores, yet training never starves)
     * @param memoryBudget      most memory one job may be estimated to need (its request and dataset, see
     *                          JobMemoryEstimate); a job over it is refused. The default leaves the documented
     *                          24 GiB machine room for serving and the JVM
     * @param maxAutomaticResumes times in a row an interrupted job is resumed at startup; after that it is
     *                          failed with the reason (a job that takes the process down would otherwise do so
     *                          at every start) and waits for an admin's restart
     * @param runnerPollInterval how often each process polls the job database: one without the job runner
     *                          lock tries to take it (so a replica takes over this long after the runner dies),
     *                          the runner picks up jobs submitted and cancels asked through other replicas
     */
    public record Training(
            @DefaultValue("true") boolean resumeInterrupted,
            @DefaultValue(Training.DEFAULT_MAX_YIELD) java.time.Duration maxYield,
            @DefaultValue(Training.DEFAULT_MEMORY_BUDGET) DataSize memoryBudget,
            @DefaultValue(Training.DEFAULT_MAX_AUTOMATIC_RESUMES) int maxAutomaticResumes,
            @DefaultValue Activation activation,
            @DefaultValue(Training.DEFAULT_RUNNER_POLL_INTERVAL) java.time.Duration runnerPollInterval) {

        static final String DEFAULT_MAX_YIELD = "2s";
        static final String DEFAULT_MEMORY_BUDGET = "8GB";
        static final String DEFAULT_MAX_AUTOMATIC_RESUMES = "3";
        static final String DEFAULT_RUNNER_POLL_INTERVAL = "2s";

        static Training defaults() {
            return new Training(true, java.time.Duration.parse("PT2S"), DataSize.parse(DEFAULT_MEMORY_BUDGET),
                    Integer.parseInt(DEFAULT_MAX_AUTOMATIC_RESUMES), Activation.defaults(), java.time.Duration.ofSeconds(2));
        }
    }

    /**
     * The minimal quality a job's model needs before {@code "activate": true} swaps it in; one that falls short
     * is stored but not activated.
     *
     * @param minNonEmptyCaptions share of the validation images whose caption may not be empty
     * @param minBleu1            lowest BLEU-1 on the validation images
     * @param minCider            lowest CIDEr-D on the validation images
     * @param notWorseThanActive  also refuse a model whose CIDEr-D is below the active model's on the same
     *                            validation images (when both are behind the same encoder)
     */
    public record Activation(
            @DefaultValue(Activation.DEFAULT_MIN_NON_EMPTY) double minNonEmptyCaptions,
            @DefaultValue(Activation.DEFAULT_MIN_BLEU_1) double minBleu1,
            @DefaultValue(Activation.DEFAULT_MIN_CIDER) double minCider,
            @DefaultValue("false") boolean notWorseThanActive) {

        static final String DEFAULT_MIN_NON_EMPTY = "0.5";
        static final String DEFAULT_MIN_BLEU_1 = "0.05";
        static final String DEFAULT_MIN_CIDER = "0.01";

        public static Activation defaults() {
            return new Activation(Double.parseDouble(DEFAULT_MIN_NON_EMPTY), Double.parseDouble(DEFAULT_MIN_BLEU_1),
                    Double.parseDouble(DEFAULT_MIN_CIDER), false);
        }
    }

    /**
     * @param queueCapacity      images that may wait for the encoder; more are refused with 503 + Retry-After
     * @param maxBatch           most images encoded in one forward pass
     * @param maxWait            how long the first waiting image waits for others to join its batch
     * @param maxExpectedWait    a request that would wait longer than this for the encoder is refused at once
     *                           (503, Retry-After = the expected wait), before its image is decoded
     * @param maxQueueWait       an image still waiting after this is answered 503 rather than encoded for a
     *                           client that has most likely given up
     * @param maxPixelsInFlight  decoding in progress, counted in declared pixels (at least a quarter megapixel
     *                           each); more is refused with 503 before decoding
     */
    public record Batching(
            @DefaultValue("32") int queueCapacity,
            @DefaultValue("8") int maxBatch,
            @DefaultValue("5ms") java.time.Duration maxWait,
            @DefaultValue("10s") java.time.Duration maxExpectedWait,
            @DefaultValue("30s") java.time.Duration maxQueueWait,
            @DefaultValue("80000000") long maxPixelsInFlight) {

        static Batching defaults() {
            return new Batching(32, 8, java.time.Duration.ofMillis(5), java.time.Duration.ofSeconds(10),
                    java.time.Duration.ofSeconds(30), 80_000_000);
        }
    }

    /**
     * Request bodies are received in full before a request thread works on them, so a slow client holds a
     * connection, not a thread.
     *
     * @param maxInProgress     bodies being received at once; when all are taken, the slowest one below
     *                          {@code minRate} gives its slot up (408), else the newcomer is refused with 503
     * @param minRate           bytes per second under which a body may lose its slot to a new one
     * @param maxBuffered       bytes of bodies held in memory at once, reserved as they arrive; past it, 503
     * @param maxReceiveTime    the longest one body may take to arrive (a slower one gets a 408)
     * @param maxOtherBody      largest body of a request that is not an image upload (the admin API's JSON)
     * @param maxParts          most parts a multipart upload may have
     * @param maxPartHeaderSize most header bytes one multipart part may have
     * @param maxBatchImages    most images one batch caption request may have
     */
    public record Uploads(
            @DefaultValue("256") int maxInProgress,
            @DefaultValue("1KB") DataSize minRate,
            @DefaultValue("256MB") DataSize maxBuffered,
            @DefaultValue("30s") java.time.Duration maxReceiveTime,
            @DefaultValue("1MB") DataSize maxOtherBody,
            @DefaultValue("8") int maxParts,
            @DefaultValue("8KB") DataSize maxPartHeaderSize,
            @DefaultValue("8") int maxBatchImages) {

        public Uploads {
            if (maxBatchImages < 1) {
                throw new IllegalArgumentException("captioner.uploads.max-batch-images must be at least 1, was "
                        + maxBatchImages);
            }
        }

        public static Uploads defaults() {
            return new Uploads(256, DataSize.ofKilobytes(1), DataSize.ofMegabytes(256), java.time.Duration.ofSeconds(30),
                    DataSize.ofMegabytes(1), 8, DataSize.ofKilobytes(8), 8);
        }
    }

    /**
     * @param releaseAfterIdle once caption requests have stopped for this long after a busy spell, the Java heap
     *                         is collected and shrunk and the C heap trimmed, so the footprint comes back down
     *                         instead of staying at the spell's peak; 0 turns it off
     */
    /**
     * @param followInterval how often the service reads the store's {@code ACTIVE} and switches to the model it names
     *                       when another replica sharing {@code models/} activated one ({@code 0}: never)
     */
    public record Models(@DefaultValue("2s") java.time.Duration followInterval) {

        public static Models defaults() {
            return new Models(java.time.Duration.ofSeconds(2));
        }
    }

    public record Memory(@DefaultValue("30s") java.time.Duration releaseAfterIdle) {

        public static Memory defaults() {
            return new Memory(java.time.Duration.ofSeconds(30));
        }
    }

    /**
     * @param publicScrape {@code /actuator/prometheus} answers without the admin's credentials, for a Prometheus
     *                     that cannot send them; the meters name models and reasons but no inputs
     */
    public record Metrics(@DefaultValue("false") boolean publicScrape) {

        public static Metrics defaults() {
            return new Metrics(false);
        }
    }

    /**
     * @param user          {@code CAPTIONER_ADMIN_USER}
     * @param password      {@code CAPTIONER_ADMIN_PASSWORD}; empty: generated at startup and logged once
     * @param loginThrottle how failed logins slow down the client that makes them
     */
    public record Admin(@DefaultValue("admin") String user, @DefaultValue("") String password,
                        @DefaultValue LoginThrottle loginThrottle) {

        @ConstructorBinding
        public Admin {
        }

        /** The given credentials with the default login throttle. */
        public Admin(String user, String password) {
            this(user, password, LoginThrottle.defaults());
        }

        @Override
        public String toString() {
            return "Admin[user=" + user + ", password=" + (password.isEmpty() ? "(generated)" : "(set)") + "]";
        }

        /**
         * Per client address: after {@code maxFailures} failed logins in a row its attempts are refused (429) for
         * {@code firstLockout}, doubled with each further failure up to {@code maxLockout}; a success, or twice
         * {@code maxLockout} without a failure, forgets the address.
         *
         * @param maxFailures    failures in a row before the first lockout
         * @param firstLockout   the first lockout
         * @param maxLockout     the longest lockout (the admin is never locked out for longer)
         * @param trackedClients addresses remembered at most; beyond it the least recently seen is forgotten, so a
         *                       crowd of addresses costs bounded memory
         */
        public record LoginThrottle(
                @DefaultValue("5") int maxFailures,
                @DefaultValue("1s") Duration firstLockout,
                @DefaultValue("5m") Duration maxLockout,
                @DefaultValue("10000") int trackedClients) {

            public static LoginThrottle defaults() {
                return new LoginThrottle(5, Duration.ofSeconds(1), Duration.ofMinutes(5), 10_000);
            }
        }
    }

    /**
     * @param dl4jBaseUrl    base URL of the DL4J zoo's files (DL4J's own {@code org.deeplearning4j.resources.baseurl}
     *                       system property, when set, is the default): mirrors exist where the original host fails
     * @param sources        the ordered download sources; empty means the built-in ones (Keras on Google Cloud
     *                       Storage, Keras on GitHub, the DL4J zoo)
     * @param connectTimeout longest wait for a connection
     * @param readTimeout    longest a download may stall without a byte arriving
     * @param attempts       tries per source (with doubling back-off) before moving on to the next
     * @param fileChecksum   a checksum ({@code sha256:HEX}, {@code md5:HEX}, {@code adler32:N}) to accept for
     *                       {@code encoder-weights-file} besides the known sources' own
     * @param fetchOnStartup when ImageNet weights are needed and none are installed, download them in the
     *                       background (not-ready until done) instead of waiting for {@code fetch-weights}
     */
    public record Weights(
            @DefaultValue(Weights.DEFAULT_DL4J_BASE_URL) String dl4jBaseUrl,
            @DefaultValue List<Source> sources,
            @DefaultValue("30s") Duration connectTimeout,
            @DefaultValue("60s") Duration readTimeout,
            @DefaultValue("3") int attempts,
            @DefaultValue("") String fileChecksum,
            @DefaultValue("false") boolean fetchOnStartup) {

        public static final String DEFAULT_DL4J_BASE_URL = "https://dl4jdata.blob.core.windows.net/";

        /**
         * @param url      an http(s) URL whose file name ends in {@code .h5} (Keras) or {@code .zip} (DL4J zoo)
         * @param checksum {@code sha256:HEX}, {@code md5:HEX} or {@code adler32:N}, as the source publishes it
         */
        public record Source(String name, String url, String checksum) {
        }

        public static Weights defaults() {
            return new Weights(System.getProperty("org.deeplearning4j.resources.baseurl", DEFAULT_DL4J_BASE_URL),
                    List.of(), Duration.ofSeconds(30), Duration.ofSeconds(60), 3, "", false);
        }
    }
}
