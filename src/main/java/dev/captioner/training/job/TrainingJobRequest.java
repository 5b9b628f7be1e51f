package dev.captioner.training.job;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.captioner.training.TrainingConfig;
import dev.captioner.vision.EncoderWeights;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What an admin asks for in {@code POST /admin/training-jobs} (and what the {@code train} command reads):
 * the dataset, optionally a validation set, and hyper-parameters. Unset fields take the defaults below,
 * and the stored job keeps the request with its defaults filled in, so a restart trains the same thing.
 *
 * @param validation         optional; when absent a {@code validationFraction} slice is held out (or, for
 *                           Karpathy's split file, its {@code val} split is used)
 * @param metricsImages      validation images captioned for BLEU/CIDEr after each epoch (the final
 *                           evaluation uses all of them)
 * @param featureBatchSize   images per VGG16 forward pass while extracting features
 * @param encoderWeights     {@code imagenet} or {@code random:<seed>}; default: the service's setting, else imagenet
 * @param modelId            id of the model to register; default {@code job-<id>}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingJobRequest(
        Dataset dataset,
        Dataset validation,
        Integer epochs,
        Integer batchSize,
        Double learningRate,
        Double learningRateDecay,
        Double dropout,
        Double gradientClipNorm,
        Double weightDecay,
        Integer hiddenSize,
        Integer embeddingSize,
        Integer minWordCount,
        Integer maxLength,
        Double validationFraction,
        Integer metricsImages,
        Integer featureBatchSize,
        Long seed,
        String encoderWeights,
        String modelId,
        Boolean activate) {

    /**
     * @param annotations a COCO captions file or Karpathy's {@code dataset_coco.json}, relative to the data dir
     * @param images      the image folder (for Karpathy's file: the folder holding {@code train2014/} and
     *                    {@code val2014/}), relative to the data dir
     * @param format      {@code coco} or {@code karpathy}; detected from the file when absent
     */
    public record Dataset(String annotations, String images, String format) {
    }

    static final int DEFAULT_EPOCHS = 10;
    static final int DEFAULT_BATCH_SIZE = 100;
    static final double DEFAULT_LEARNING_RATE = 1e-3;

    /**
     * Reads a request, refusing fields it does not know: a misspelt {@code "learningrate"} would otherwise
     * silently train with the default.
     */
    public static TrainingJobRequest fromJson(JsonNode body, ObjectMapper mapper) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the request must be a JSON object");
        }
        List<String> unknown = new ArrayList<>();
        collectUnknown(body, TrainingJobRequest.class, "", unknown);
        collectUnknown(body.get("dataset"), Dataset.class, "dataset.", unknown);
        collectUnknown(body.get("validation"), Dataset.class, "validation.", unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown field(s) " + unknown + "; known fields: "
                    + names(TrainingJobRequest.class) + ", and in dataset/validation: " + names(Dataset.class));
        }
        return mapper.treeToValue(body, TrainingJobRequest.class);
    }

    private static void collectUnknown(JsonNode node, Class<? extends Record> type, String prefix, List<String> out) {
        if (node == null || !node.isObject()) {
            return;
        }
        Set<String> known = Set.copyOf(names(type));
        node.propertyNames().forEach(name -> {
            if (!known.contains(name)) {
                out.add(prefix + name);
            }
        });
    }

    private static List<String> names(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toList());
    }

    /** The request with every unset field given its default. */
    public TrainingJobRequest withDefaults(String serviceEncoderWeights) {
        String weights = encoderWeights != null ? encoderWeights
                : serviceEncoderWeights == null || serviceEncoderWeights.isBlank() ? "imagenet" : serviceEncoderWeights;
        return new TrainingJobRequest(dataset, validation,
                or(epochs, DEFAULT_EPOCHS), or(batchSize, DEFAULT_BATCH_SIZE), or(learningRate, DEFAULT_LEARNING_RATE),
                or(learningRateDecay, 0.95), or(dropout, 0.5), or(gradientClipNorm, 5.0), or(weightDecay, 0.0),
                or(hiddenSize, 512), or(embeddingSize, 512), or(minWordCount, 5), or(maxLength, 16),
                or(validationFraction, 0.05), or(metricsImages, 500), or(featureBatchSize, 8), or(seed, 1L),
                weights, modelId, or(activate, false));
    }

    /** Checks a request that has its defaults; the message names the offending field. */
    public void validate() {
        if (dataset == null || blank(dataset.annotations())) {
            throw new IllegalArgumentException("'dataset.annotations' is required");
        }
        if (blank(dataset.images())) {
            throw new IllegalArgumentException("'dataset.images' is required");
        }
        checkFormat(dataset, "dataset");
        if (validation != null) {
            if (blank(validation.annotations()) || blank(validation.images())) {
                throw new IllegalArgumentException("'validation' needs 'annotations' and 'images'");
            }
            checkFormat(validation, "validation");
        }
        range("epochs", epochs, 1, 1000);
        range("batchSize", batchSize, 1, 10_000);
        range("hiddenSize", hiddenSize, 1, 4096);
        range("embeddingSize", embeddingSize, 1, 4096);
        range("minWordCount", minWordCount, 1, 1_000_000);
        range("maxLength", maxLength, 1, 100);
        range("metricsImages", metricsImages, 0, 1_000_000);
        range("featureBatchSize", featureBatchSize, 1, 256);
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("'learningRate' must be in (0, 1]");
        }
        if (!(learningRateDecay > 0 && learningRateDecay <= 1)) {
            throw new IllegalArgumentException("'learningRateDecay' must be in (0, 1]");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("'dropout' must be in [0, 1)");
        }
        if (!(gradientClipNorm > 0)) {
            throw new IllegalArgumentException("'gradientClipNorm' must be > 0");
        }
        if (!(weightDecay >= 0 && weightDecay < 1)) {
            throw new IllegalArgumentException("'weightDecay' must be in [0, 1)");
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("'validationFraction' must be in (0, 1)");
        }
        EncoderWeights.parse(encoderWeights);
        if (modelId != null && !dev.captioner.store.ModelStore.isValidId(modelId)) {
            throw new IllegalArgumentException("'modelId' must be lowercase letters, digits, '.', '_' or '-' "
                    + "(at most 80), starting with a letter or digit");
        }
    }

    TrainingConfig trainingConfig() {
        return new TrainingConfig(embeddingSize, hiddenSize, epochs, batchSize, learningRate, learningRateDecay,
                gradientClipNorm, dropout, weightDecay, seed);
    }

    private static void checkFormat(Dataset d, String name) {
        if (d.format() != null && !d.format().equals("coco") && !d.format().equals("karpathy")) {
            throw new IllegalArgumentException("'" + name + ".format' must be 'coco' or 'karpathy'");
        }
    }

    private static void range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("'" + name + "' must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
