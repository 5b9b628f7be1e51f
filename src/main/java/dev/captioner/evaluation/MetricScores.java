package dev.captioner.evaluation;

import java.util.Collections;
import java.util.Map;

/**
 * One metric's scores: the corpus value and the value of every image, keyed by image id in corpus order.
 *
 * @param corpus   the corpus-level score as the official toolkit reports it
 * @param perImage score per image id
 */
public record MetricScores(double corpus, Map<String, Double> perImage) {

    public MetricScores {
        perImage = Collections.unmodifiableMap(perImage);
    }
}
