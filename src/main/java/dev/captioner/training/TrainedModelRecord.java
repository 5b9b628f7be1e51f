package dev.captioner.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hyper-parameters and metrics a trained model's manifest records, the same for the demo model and
 * for models from training jobs.
 */
public final class TrainedModelRecord {

    private TrainedModelRecord() {
    }

    public static Map<String, Object> hyperParameters(TrainingConfig config, int minWordCount, int maxLength,
                                                      String dataset) {
        Map<String, Object> hyper = config.asMap();
        hyper.put("minWordCount", minWordCount);
        hyper.put("maxLength", maxLength);
        hyper.put("dataset", dataset);
        return hyper;
    }

    /**
     * @param captionMetrics toolkit-named scores on the validation images ({@code Bleu_4}, {@code CIDEr}, ...),
     *                       recorded as {@code validationBleu4}, {@code validationCIDEr}, ...
     */
    public static Map<String, Object> metrics(int trainImages, int validationImages, int bestEpoch,
                                              DecoderTrainer.EpochResult best, Map<String, Double> captionMetrics) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("trainImages", trainImages);
        metrics.put("validationImages", validationImages);
        metrics.put("bestEpoch", bestEpoch);
        metrics.put("trainLoss", best.trainLoss());
        metrics.put("validationLoss", best.validationLoss());
        metrics.put("trainingTokensPerSecond", best.tokensPerSecond());
        captionMetrics.forEach((key, value) -> metrics.put("validation" + key.replace("_", ""), value));
        return metrics;
    }
}
