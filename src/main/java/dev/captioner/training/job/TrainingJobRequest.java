package dev.captioner.training.job;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.captioner.config.Excerpt;
import dev.captioner.language.CaptionDecoder;
import dev.captioner.store.ModelStore;
import dev.captioner.training.FeatureCache;
import dev.captioner.training.TrainingConfig;
import dev.captioner.vision.EncoderLayer;
import dev.captioner.vision.EncoderWeights;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.MismatchedInputException;

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
 * @param decoder            {@code lstm} (default: the fc7 LSTM) or {@code attention} (soft attention over VGG16's
 *                           conv5_3 grid)
 * @param attentionSize      the attention decoder's attention space; default 512; attention only
 * @param attentionRegularization lambda of the doubly stochastic term; default 0.005 (the Show, Attend and Tell
 *                           PyTorch tutorial's 1 over 196 positions); attention only
 * @param featurePrecision   {@code float32} (default) or {@code float16}: how the feature cache stores features
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingJobRequest(
        @NotNull(message = "is required, with its 'annotations' and 'images'") @Valid Dataset dataset,
        @Valid Dataset validation,
        @Min(1) @Max(1000) Integer epochs,
        @Min(1) @Max(10_000) Integer batchSize,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double learningRate,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double learningRateDecay,
        @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) Double dropout,
        @DecimalMin(value = "0", inclusive = false) Double gradientClipNorm,
        @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) Double weightDecay,
        @Min(1) @Max(4096) Integer hiddenSize,
        @Min(1) @Max(4096) Integer embeddingSize,
        @Min(1) @Max(1_000_000) Integer minWordCount,
        @Min(1) @Max(100) Integer maxLength,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1", inclusive = false) Double validationFraction,
        @Min(0) @Max(1_000_000) Integer metricsImages,
        @Min(1) @Max(256) Integer featureBatchSize,
        Long seed,
        @Pattern(regexp = "(?i)\\s*(imagenet|random:-?\\d+)\\s*", message = "must be 'imagenet' or 'random:<seed>'")
        String encoderWeights,
        @Pattern(regexp = ModelStore.ID_PATTERN, message = "must be lowercase letters, digits, '.', '_' or '-' "
                + "(at most 80), starting with a letter or digit") String modelId,
        Boolean activate,
        @Pattern(regexp = "lstm|attention", message = "must be 'lstm' or 'attention'") String decoder,
        @Min(1) @Max(4096) Integer attentionSize,
        @DecimalMin("0") @DecimalMax("100") Double attentionRegularization,
        @Pattern(regexp = "float32|float16", message = "must be 'float32' or 'float16'") String featurePrecision) {

    /**
     * @param annotations a COCO captions file or Karpathy's {@code dataset_coco.json}, relative to the data dir
     * @param images      the image folder (for Karpathy's file: the folder holding {@code train2014/} and
     *                    {@code val2014/}), relative to the data dir
     * @param format      {@code coco} or {@code karpathy}; detected from the file when absent
     */
    public record Dataset(
            @NotBlank String annotations,
            @NotBlank String images,
            @Pattern(regexp = "coco|karpathy", message = "must be 'coco' or 'karpathy'") String format) {
    }

    static final int DEFAULT_EPOCHS = 10;
    static final int DEFAULT_BATCH_SIZE = 100;
    static final double DEFAULT_LEARNING_RATE = 1e-3;
    static final int DEFAULT_ATTENTION_SIZE = 512;
    static final double DEFAULT_ATTENTION_REGULARIZATION = 0.005;

    /**
     * Reads a request, refusing fields it does not know: a misspelt {@code "learningrate"} would otherwise
     * silently train with the default.
     */
    public static TrainingJobRequest fromJson(JsonNode body, ObjectMapper mapper) {
        if (body == null || !body.isObject()) {
            throw new InvalidJobRequestException("the request must be a JSON object");
        }
        List<String> unknown = new ArrayList<>();
        collectUnknown(body, TrainingJobRequest.class, "", unknown);
        collectUnknown(body.get("dataset"), Dataset.class, "dataset.", unknown);
        collectUnknown(body.get("validation"), Dataset.class, "validation.", unknown);
        if (!unknown.isEmpty()) {
            throw new InvalidJobRequestException("unknown field(s) " + Excerpt.of(unknown) + "; known fields: "
                    + names(TrainingJobRequest.class) + ", and in dataset/validation: " + names(Dataset.class));
        }
        try {
            return strict(mapper).treeToValue(body, TrainingJobRequest.class);
        } catch (MismatchedInputException e) {
            String problem = "must be " + expected(e.getTargetType()) + " (got "
                    + Excerpt.of(String.valueOf(body.at(pointer(e)))) + ")";
            throw new InvalidJobRequestException(field(e) + " " + problem, fieldError(e, problem));
        } catch (JacksonException e) {
            throw new InvalidJobRequestException(field(e) + " does not fit the request's shape",
                    fieldError(e, "does not fit the request's shape"));
        }
    }

    /**
     * The service's mapper, without the coercions that would train something other than what was asked:
     * {@code 1.5} as a batch size of 1, {@code "5"} as 5 epochs, {@code 1} as {@code true}. Only for this
     * request; other bodies keep the mapper's leniency.
     */
    private static ObjectMapper strict(ObjectMapper mapper) {
        return mapper.rebuild()
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
    }

    private static String field(JacksonException e) {
        String path = path(e);
        return path.isEmpty() ? "the request" : "'" + path + "'";
    }

    private static Map<String, String> fieldError(JacksonException e, String problem) {
        String path = path(e);
        return path.isEmpty() ? Map.of() : Map.of(path, problem);
    }

    private static String path(JacksonException e) {
        return e.getPath().stream().map(ref -> ref.getPropertyName() != null ? ref.getPropertyName()
                : String.valueOf(ref.getIndex())).collect(Collectors.joining("."));
    }

    private static JsonPointer pointer(JacksonException e) {
        JsonPointer pointer = JsonPointer.empty();
        for (JacksonException.Reference ref : e.getPath()) {
            pointer = ref.getPropertyName() != null ? pointer.appendProperty(ref.getPropertyName())
                    : pointer.appendIndex(ref.getIndex());
        }
        return pointer;
    }

    /** What a field of this Java type takes, in JSON's words. */
    private static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        return "an object";
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
                weights, modelId, or(activate, false), or(decoder, CaptionDecoder.LSTM),
                attends() ? or(attentionSize, DEFAULT_ATTENTION_SIZE) : attentionSize,
                attends() ? or(attentionRegularization, DEFAULT_ATTENTION_REGULARIZATION) : attentionRegularization,
                or(featurePrecision, "float32"));
    }

    /** Whether this asks for the attention decoder (and so for conv5_3 grids rather than fc7 vectors). */
    public boolean attends() {
        return CaptionDecoder.ATTENTION.equals(decoder);
    }

    /** The VGG16 layer this job's features come from: conv5_3's grid for attention, fc7 otherwise. */
    public EncoderLayer encoderLayer() {
        return attends() ? EncoderLayer.CONV5_3 : EncoderLayer.FC7;
    }

    /** {@code vgg16/<weights>} or {@code vgg16-conv5_3/<weights>}: the encoder (and feature cache) of this job. */
    public String encoderId() {
        return encoderLayer().encoderId(EncoderWeights.parse(encoderWeights));
    }

    FeatureCache.Precision cachePrecision() {
        return "float16".equals(featurePrecision) ? FeatureCache.Precision.FLOAT16 : FeatureCache.Precision.FLOAT32;
    }

    /**
     * Checks a request that has its defaults against the ranges its fields declare (Bean Validation, which the
     * OpenAPI description shows too); the message names every offending field.
     */
    public void validate(Validator validator) {
        Map<String, String> fieldErrors = new TreeMap<>();
        for (ConstraintViolation<TrainingJobRequest> violation : validator.validate(this)) {
            String problem = violation.getMessage() + (violation.getInvalidValue() == null ? ""
                    : " (got " + Excerpt.of(violation.getInvalidValue()) + ")");
            fieldErrors.merge(violation.getPropertyPath().toString(), problem, (a, b) -> a + "; " + b);
        }
        if (!fieldErrors.isEmpty()) {
            throw new InvalidJobRequestException(fieldErrors.entrySet().stream()
                    .map(error -> "'" + error.getKey() + "' " + error.getValue())
                    .collect(Collectors.joining("; ")), fieldErrors);
        }
        if (modelId != null && !ModelStore.isValidId(modelId)) {
            throw new InvalidJobRequestException("'modelId' may not contain '..'", Map.of("modelId", "may not contain '..'"));
        }
        if (!attends() && (attentionSize != null || attentionRegularization != null)) {
            String problem = "applies to the attention decoder only: add \"decoder\": \"attention\" or leave it out";
            Map<String, String> attentionFields = new TreeMap<>();
            if (attentionSize != null) {
                attentionFields.put("attentionSize", problem);
            }
            if (attentionRegularization != null) {
                attentionFields.put("attentionRegularization", problem);
            }
            throw new InvalidJobRequestException("'attentionSize' and 'attentionRegularization' apply to the attention "
                    + "decoder only: add \"decoder\": \"attention\" or leave them out", attentionFields);
        }
    }

    TrainingConfig trainingConfig() {
        TrainingConfig config = new TrainingConfig(embeddingSize, hiddenSize, epochs, batchSize, learningRate,
                learningRateDecay, gradientClipNorm, dropout, weightDecay, seed);
        return attends() ? config.withAttention(new TrainingConfig.Attention(attentionSize, attentionRegularization))
                : config;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
