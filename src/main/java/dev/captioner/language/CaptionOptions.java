package dev.captioner.language;

import java.util.Locale;

/**
 * How to generate: {@code beam} (the n best of a beam search), {@code greedy} or {@code sample}
 * (n samples at a temperature, reproducible with a seed).
 *
 * @param attention    whether the answer should carry each token's attention map (only an attention model has them)
 * @param alternatives          how many of the most likely other words each token lists (0: none)
 * @param lengthPenalty         how beam search ranks captions of different lengths ({@link LengthPenalty#NONE}:
 *                              by their log-probability)
 * @param blockRepeatedTrigrams true: no caption produces a word trigram it already contains, in every mode
 */
public record CaptionOptions(Mode mode, int beamSize, int n, double temperature, int maxLength, Long seed,
                             boolean attention, int alternatives, LengthPenalty lengthPenalty,
                             boolean blockRepeatedTrigrams) {

    /** Alternatives a token may list: enough to see what the model weighed, not a dump of the vocabulary. */
    public static final int MAX_ALTERNATIVES = 10;

    public CaptionOptions(Mode mode, int beamSize, int n, double temperature, int maxLength, Long seed) {
        this(mode, beamSize, n, temperature, maxLength, seed, false);
    }

    public CaptionOptions(Mode mode, int beamSize, int n, double temperature, int maxLength, Long seed,
                          boolean attention) {
        this(mode, beamSize, n, temperature, maxLength, seed, attention, 0, LengthPenalty.NONE, false);
    }

    public CaptionOptions {
        if (lengthPenalty == null) {
            lengthPenalty = LengthPenalty.NONE;
        }
    }

    /** These options with another length limit. */
    public CaptionOptions withMaxLength(int length) {
        return new CaptionOptions(mode, beamSize, n, temperature, length, seed, attention, alternatives, lengthPenalty,
                blockRepeatedTrigrams);
    }

    /** What generation reports and the rules it follows beyond the mode. */
    public Decoding decoding() {
        return new Decoding(alternatives, lengthPenalty, blockRepeatedTrigrams);
    }

    public enum Mode {
        BEAM, GREEDY, SAMPLE;

        public static Mode parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidCaptionOptionsException("mode must be one of beam, greedy, sample; got '" + text + "'");
            }
        }
    }

    /** One caption, the best of a beam of {@link Captioner#BEST_BEAM_SIZE}. */
    public static CaptionOptions best(int maxLength) {
        return new CaptionOptions(Mode.BEAM, Captioner.BEST_BEAM_SIZE, 1, 1.0, maxLength, null);
    }

    /**
     * The {@code n} best of a beam of {@link Captioner#BEST_BEAM_SIZE}, as the command lines' options ask (the
     * {@code caption} command, the Spark {@code caption} job); the length limit is set per model.
     *
     * @param lengthPenalty {@code none}, {@code gnmt} or {@code average}; {@code alpha}: gnmt's, null for its default
     */
    public static CaptionOptions bestOfBeam(int n, String lengthPenalty, Double alpha, int alternatives,
                                            boolean blockRepeatedTrigrams) {
        LengthPenalty.Kind kind = LengthPenalty.Kind.parse(lengthPenalty);
        if (alpha != null && kind != LengthPenalty.Kind.GNMT) {
            throw new InvalidCaptionOptionsException("--length-penalty-alpha applies to --length-penalty gnmt only");
        }
        LengthPenalty penalty = switch (kind) {
            case NONE -> LengthPenalty.NONE;
            case AVERAGE -> LengthPenalty.AVERAGE;
            case GNMT -> LengthPenalty.gnmt(alpha == null ? LengthPenalty.DEFAULT_ALPHA : alpha);
        };
        CaptionOptions options = new CaptionOptions(Mode.BEAM, Captioner.BEST_BEAM_SIZE, n, 1.0, 1, null, false,
                alternatives, penalty, blockRepeatedTrigrams);
        options.validate(Captioner.BEST_BEAM_SIZE, Integer.MAX_VALUE);
        return options;
    }

    /** Limits that keep a single request's cost bounded. */
    public void validate(int maxBeamSize, int maxAllowedLength) {
        if (beamSize < 1 || beamSize > maxBeamSize) {
            throw new InvalidCaptionOptionsException("beamSize must be between 1 and " + maxBeamSize);
        }
        int maxN = mode == Mode.BEAM ? beamSize : maxBeamSize;
        if (n < 1 || n > maxN) {
            throw new InvalidCaptionOptionsException("n must be between 1 and " + maxN
                    + (mode == Mode.BEAM ? " (at most beamSize)" : ""));
        }
        if (mode == Mode.GREEDY && n != 1) {
            throw new InvalidCaptionOptionsException("greedy decoding returns exactly one caption: n must be 1");
        }
        if (!(temperature > 0) || temperature > 100) {
            throw new InvalidCaptionOptionsException("temperature must be > 0 and at most 100");
        }
        if (maxLength < 1 || maxLength > maxAllowedLength) {
            throw new InvalidCaptionOptionsException("maxLength must be between 1 and " + maxAllowedLength);
        }
        if (alternatives < 0 || alternatives > MAX_ALTERNATIVES) {
            throw new InvalidCaptionOptionsException("alternatives must be between 0 and " + MAX_ALTERNATIVES);
        }
        if (lengthPenalty.kind() != LengthPenalty.Kind.NONE && mode != Mode.BEAM) {
            // a single greedy caption or independent samples have nothing to rank: the option would do nothing
            throw new InvalidCaptionOptionsException("lengthPenalty ranks the hypotheses of a beam search: it needs "
                    + "mode=beam, not mode=" + mode.name().toLowerCase(Locale.ROOT));
        }
    }
}
