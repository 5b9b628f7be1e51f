package dev.captioner.training.synthetic;

import java.util.Random;

/**
 * The synthetic generators' random choices, all from one seeded stream: a {@link Random} with the draws they
 * share, so a generator with the same seed makes the same choices in the same order.
 */
final class SeededDraws extends Random {

    SeededDraws(long seed) {
        super(seed);
    }

    <T> T pick(T[] values) {
        return values[nextInt(values.length)];
    }

    /** Uniform over {@code min..max}, both included. */
    int between(int min, int max) {
        return min + nextInt(max - min + 1);
    }

    double uniform(double min, double max) {
        return min + (max - min) * nextDouble();
    }

    /** A colour channel moved by up to {@code spread} either way, kept within 0..255. */
    int jitter(int channel, int spread) {
        return clamp(channel + between(-spread, spread), 0, 255);
    }

    static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}
