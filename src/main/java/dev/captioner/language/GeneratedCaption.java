package dev.captioner.language;

/**
 * A generated word sequence (ids, without START and END) and its log-probability under the model.
 * {@code complete} is false when generation stopped at the length limit instead of at END.
 *
 * @param attention {@code attention[k]}: where the model looked when it chose word k; null without attention
 */
public record GeneratedCaption(int[] words, double logProbability, boolean complete, float[][] attention) {

    public GeneratedCaption(int[] words, double logProbability, boolean complete) {
        this(words, logProbability, complete, null);
    }

    public double probability() {
        return Math.exp(logProbability);
    }
}
