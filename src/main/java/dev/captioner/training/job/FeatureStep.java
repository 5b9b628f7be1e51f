package dev.captioner.training.job;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.captioner.config.DataDirectory;
import dev.captioner.dataset.DatasetFiles;
import dev.captioner.dataset.RejectedEntry;
import dev.captioner.serving.ModelRuntime;
import dev.captioner.serving.ServingLoad;
import dev.captioner.training.FeatureCache;
import dev.captioner.training.FeatureExtractor;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.ImageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import tools.jackson.core.type.TypeReference;

/**
 * Encodes every training and validation image with VGG16 into the feature cache, one batch per step
 * iteration (one commit of the job repository each), skipping images already cached. A restarted job
 * continues from its last committed position; anything cached after that is found in the cache and reused.
 * Unreadable, corrupt or missing images are counted and skipped, with the entries the dataset left out
 * (bad names, links out of the data directory, FIFOs); only regular files inside the data directory are opened,
 * and no more of one than {@code captioner.max-image-size}. When no validation (or no training) image is left,
 * the job fails here, before training, saying so.
 */
class FeatureStep extends JobStep {

    static final String NEXT = "next";
    static final String TOTAL = "total";
    static final String ENCODED = "encoded";
    static final String REUSED = "reused";
    static final String SKIPPED = "skipped";
    static final String SKIPPED_EXAMPLES = "skippedExamples";
    static final String SKIPPED_BY_REASON = "skippedByReason";
    private static final int MAX_SKIPPED_EXAMPLES = 10;
    private static final Duration RECENT_TRAFFIC = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(FeatureStep.class);

    private final ModelRuntime runtime;
    private final DataDirectory data;
    private final DatasetFiles files;
    private final FeatureExtractor extractor;
    private final ServingLoad load;
    private final Duration maxYield;

    /** @param maxImageBytes {@code captioner.max-image-size}: a dataset image is held to an upload's limit */
    FeatureStep(JobStates states, ModelRuntime runtime, ImageDecoder decoder, ServingLoad load, Duration maxYield,
                DataDirectory data, long maxImageBytes) {
        super(states);
        this.runtime = runtime;
        this.data = data;
        this.files = new DatasetFiles(data);
        this.extractor = new FeatureExtractor(decoder, file -> files.read(file, maxImageBytes));
        this.load = load;
        this.maxYield = maxYield;
    }

    @Override
    RepeatStatus iterate(JobState state, StepExecution step, StepContribution contribution) throws Exception {
        FeatureCache cache = state.cache();
        if (state.encoder == null) {
            state.encoder = encoder(state.request);
            data.requireInsideForWriting(cache.folder(), "the feature cache");
            cache.bindTo(state.encoder).ifPresent(log::warn);
        }
        List<Path> images = state.dataset().allImages();
        ExecutionContext context = step.getExecutionContext();
        boolean first = !context.containsKey(NEXT);
        int next = context.getInt(NEXT, 0);
        int skipped = context.getInt(SKIPPED, 0);
        int reused = context.getInt(REUSED, 0);
        String skippedExamples = context.getString(SKIPPED_EXAMPLES, "");
        Map<String, Integer> byReason = skippedByReason(context);
        if (first) {
            // left out when the dataset was read; counted once, with the first batch's commit
            for (RejectedEntry entry : state.dataset().rejected()) {
                skipped++;
                byReason.merge(entry.reason(), 1, Integer::sum);
                skippedExamples = example(skippedExamples, entry.shownName(), entry.reason());
            }
        }

        long start = System.nanoTime();
        List<Path> batch = new ArrayList<>();
        while (next < images.size() && batch.size() < state.request.featureBatchSize()) {
            Path file = images.get(next++);
            // looked at again, before the cache: the folder may have changed since the dataset was read
            Optional<String> problem = files.problem(file);
            if (problem.isPresent()) {
                skipped++;
                byReason.merge(problem.get(), 1, Integer::sum);
                skippedExamples = example(skippedExamples, data.relativeName(file), problem.get());
            } else if (cache.contains(file)) {
                reused++;
            } else {
                batch.add(file);
            }
        }
        if (!batch.isEmpty()) {
            FeatureExtractor.Batch encoded = extractor.encode(batch, decoded -> encode(state, decoded));
            for (FeatureExtractor.Skipped skip : encoded.skipped()) {
                skipped++;
                byReason.merge(skip.kind(), 1, Integer::sum);
                skippedExamples = example(skippedExamples, data.relativeName(skip.file()), skip.reason());
            }
            for (int i = 0; i < encoded.files().size(); i++) {
                cache.put(encoded.files().get(i), encoded.features()[i]);
            }
            if (encoded.features().length > 0) {
                contribution.incrementWriteCount(encoded.features().length);
                state.recordEncoding(encoded.features().length, (System.nanoTime() - start) / 1e9);
                context.putInt(ENCODED, context.getInt(ENCODED, 0) + encoded.features().length);
            }
        }
        context.putInt(NEXT, next);
        context.putInt(TOTAL, images.size());
        context.putInt(SKIPPED, skipped);
        context.putInt(REUSED, reused);
        context.putString(SKIPPED_EXAMPLES, skippedExamples);
        context.putString(SKIPPED_BY_REASON, states.parameters().json().writeValueAsString(byReason));
        state.live(TrainingStep.FEATURES, (double) next / images.size());
        if (next < images.size()) {
            return RepeatStatus.CONTINUABLE;
        }
        requireFeatures(state, cache);
        return RepeatStatus.FINISHED;
    }

    /**
     * Training needs features of at least one training image, and choosing the best decoder at least one
     * validation image: without them the job would only fail after all its epochs, and not in words.
     */
    private static void requireFeatures(JobState state, FeatureCache cache) {
        JobDataset dataset = state.dataset();
        if (dataset.train().imageFiles().stream().noneMatch(cache::contains)) {
            throw new IllegalStateException("none of the " + dataset.train().size() + " training images could be "
                    + "read (see images.skippedExamples), so there is nothing to train on");
        }
        if (dataset.validation().imageFiles().stream().noneMatch(cache::contains)) {
            throw new IllegalStateException("none of the " + dataset.validation().size() + " validation images ("
                    + dataset.validationSource() + ") could be read (see images.skippedExamples), so the trained "
                    + "model could not be validated; fix those images"
                    + (state.request.validation() != null
                    ? ", or leave 'validation' out to hold out a slice of the training images" : ""));
        }
    }

    private Map<String, Integer> skippedByReason(ExecutionContext context) {
        return states.parameters().json().readValue(context.getString(SKIPPED_BY_REASON, "{}"),
                new TypeReference<LinkedHashMap<String, Integer>>() { });
    }

    /**
     * The encoder is shared with caption requests and runs one call at a time, so a request arriving during
     * a batch waits for all of it. While requests have been coming in recently the batch is encoded one
     * image at a time, stepping aside for requests in flight between images; otherwise in one call, which
     * is about 15% faster per image.
     */
    private float[][] encode(JobState state, List<BufferedImage> batch) {
        if (!load.busyWithin(RECENT_TRAFFIC)) {
            return state.encoder.encode(batch);
        }
        float[][] encoded = new float[batch.size()][];
        for (int i = 0; i < batch.size(); i++) {
            try {
                load.yieldToRequests(maxYield);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            encoded[i] = state.encoder.encode(batch.get(i));
        }
        return encoded;
    }

    private FeatureEncoder encoder(TrainingJobRequest request) {
        FeatureEncoder encoder = runtime.encoderFor(EncoderWeights.parse(request.encoderWeights()), request.encoderLayer());
        if (!encoder.id().equals(request.encoderId())) {
            throw new IllegalStateException("asked for encoder " + request.encoderId() + ", got " + encoder.id());
        }
        return encoder;
    }

    /** Up to {@link #MAX_SKIPPED_EXAMPLES} lines of "path: reason", for the job's status. */
    private static String example(String examples, String file, String reason) {
        if (examples.lines().count() >= MAX_SKIPPED_EXAMPLES) {
            return examples;
        }
        return examples + file + ": " + reason + "\n";
    }
}
