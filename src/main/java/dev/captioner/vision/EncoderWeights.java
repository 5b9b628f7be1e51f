package dev.captioner.vision;

import java.util.Locale;

/**
 * Which VGG16 weights an encoder uses: the zoo's ImageNet weights, or a seeded random initialisation
 * (reproducible: the same seed always gives the same features). Recorded with every model so a decoder is
 * never served behind an encoder it was not trained with.
 */
public record EncoderWeights(Kind kind, long seed) {

    public enum Kind { IMAGENET, RANDOM }

    private static final String RANDOM_PREFIX = "random:";

    public static EncoderWeights imagenet() {
        return new EncoderWeights(Kind.IMAGENET, 0);
    }

    public static EncoderWeights random(long seed) {
        return new EncoderWeights(Kind.RANDOM, seed);
    }

    public static EncoderWeights parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("imagenet")) {
            return imagenet();
        }
        if (value.startsWith(RANDOM_PREFIX)) {
            try {
                return random(Long.parseLong(value.substring(RANDOM_PREFIX.length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("encoder weights '" + text + "': the seed must be an integer");
            }
        }
        throw new IllegalArgumentException(
                "encoder weights '" + text + "' not understood: use 'imagenet' or 'random:<seed>'");
    }

    @Override
    public String toString() {
        return kind == Kind.IMAGENET ? "imagenet" : RANDOM_PREFIX + seed;
    }
}
