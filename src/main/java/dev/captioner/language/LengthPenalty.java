package dev.captioner.language;

import java.util.Locale;

import dev.captioner.config.Excerpt;

/**
 * How beam search weighs finished captions of different lengths against each other. A caption's score is its
 * log-probability divided by a penalty of its length |Y|, the steps whose log-probabilities it adds (its words,
 * and END for a finished caption): {@code none} divides by 1 (the raw log-probability, which favours short
 * captions), {@code gnmt} by ((5 + |Y|) / 6)^alpha (Wu et al. 2016), {@code average} by |Y| (the mean per step).
 *
 * @param alpha gnmt's exponent; 0 for the others
 */
public record LengthPenalty(Kind kind, double alpha) {

    public static final double DEFAULT_ALPHA = 0.6;
    public static final double MAX_ALPHA = 2.0;
    public static final LengthPenalty NONE = new LengthPenalty(Kind.NONE, 0);
    public static final LengthPenalty AVERAGE = new LengthPenalty(Kind.AVERAGE, 0);

    public LengthPenalty {
        if (!(alpha >= 0 && alpha <= MAX_ALPHA)) {
            throw new InvalidCaptionOptionsException("lengthPenaltyAlpha must be between 0 and " + MAX_ALPHA);
        }
    }

    public static LengthPenalty gnmt(double alpha) {
        return new LengthPenalty(Kind.GNMT, alpha);
    }

    public enum Kind {
        NONE, GNMT, AVERAGE;

        public static Kind parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidCaptionOptionsException("lengthPenalty must be one of none, gnmt, average; got '"
                        + Excerpt.of(text) + "'");
            }
        }
    }

    /** The ranking score of a caption of this log-probability over this many steps. */
    public double score(double logProbability, int steps) {
        return logProbability / divisor(steps);
    }

    /**
     * The best score a hypothesis of this log-probability can still reach by the time it ends, at most
     * {@code maxSteps} steps: its log-probability only falls, and the divisor only grows with the length.
     */
    double bestReachable(double logProbability, int maxSteps) {
        return logProbability / divisor(maxSteps);
    }

    private double divisor(int steps) {
        return switch (kind) {
            case NONE -> 1.0;
            case GNMT -> Math.pow((5.0 + steps) / 6.0, alpha);
            case AVERAGE -> Math.max(1, steps);
        };
    }
}
