package dev.captioner.language;

/**
 * A generated word sequence (ids, without START and END) and its log-probability under the model.
 * {@code complete} is false when generation stopped at the length limit instead of at END.
 */
public record GeneratedCaption(int[] words, double logProbability, boolean complete) {

    public double probability() {
        return Math.exp(logProbability);
    }
}
