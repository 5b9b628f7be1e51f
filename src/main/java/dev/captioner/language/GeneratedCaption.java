package dev.captioner.language;

/**
 * A generated word sequence (ids, without START and END) and its log-probability under the model.
 * {@code complete} is false when generation stopped at the length limit instead of at END.
 *
 * @param attention             {@code attention[k]}: where the model looked when it chose word k; null without attention
 * @param wordLogProbabilities  {@code [k]}: the log-probability of word k at its step; summed in order, then
 *                              {@code endLogProbability} added, they give {@code logProbability} exactly
 * @param endLogProbability     the log-probability of END at the last step; NaN when the length limit cut it short
 * @param alternatives          {@code [k]}: the most likely other words at word k's step, most likely first; null
 *                              when none were asked for
 */
public record GeneratedCaption(int[] words, double logProbability, boolean complete, float[][] attention,
                               double[] wordLogProbabilities, double endLogProbability, WordChoice[][] alternatives) {

    public GeneratedCaption(int[] words, double logProbability, boolean complete) {
        this(words, logProbability, complete, null);
    }

    public GeneratedCaption(int[] words, double logProbability, boolean complete, float[][] attention) {
        this(words, logProbability, complete, attention, null, Double.NaN, null);
    }

    public double probability() {
        return Math.exp(logProbability);
    }
}
