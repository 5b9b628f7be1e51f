package dev.captioner.language;

/**
 * What generation reports and the rules it follows beyond its mode: alternatives per word, the length penalty that
 * ranks beam hypotheses, and the repeated-trigram guard.
 *
 * @param alternatives          how many of the most likely other words each word lists (0: none)
 * @param lengthPenalty         how beam search ranks captions of different lengths (greedy and sampling rank none)
 * @param blockRepeatedTrigrams true: no caption produces a word trigram it already contains
 */
public record Decoding(int alternatives, LengthPenalty lengthPenalty, boolean blockRepeatedTrigrams) {

    /** What generation did before these options: no alternatives, the raw log-probability, no guard. */
    public static final Decoding PLAIN = new Decoding(0, LengthPenalty.NONE, false);

    public Decoding {
        if (alternatives < 0) {
            throw new IllegalArgumentException("alternatives must not be negative");
        }
        if (lengthPenalty == null) {
            throw new IllegalArgumentException("a length penalty is required (LengthPenalty.NONE for none)");
        }
    }

    public static Decoding withAlternatives(int alternatives) {
        return new Decoding(alternatives, LengthPenalty.NONE, false);
    }

    /**
     * Whether {@code word} after the first {@code length} of {@code words} would make a trigram they already
     * contain (END ends the caption and makes none).
     */
    boolean repeatsTrigram(int[] words, int length, int word) {
        if (!blockRepeatedTrigrams || length < 2 || word == Vocabulary.END_ID) {
            return false;
        }
        int first = words[length - 2];
        int second = words[length - 1];
        for (int i = 0; i + 2 < length; i++) {
            if (words[i] == first && words[i + 1] == second && words[i + 2] == word) {
                return true;
            }
        }
        return false;
    }
}
