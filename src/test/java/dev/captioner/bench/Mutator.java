package dev.captioner.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of a well-formed file, the kinds a fuzzer finds decoder bugs with: bit flips, interesting
 * values written over bytes and over header integers (where sizes and offsets live), truncation, slices
 * repeated, removed or inserted, and splices of two files. The same seed gives the same mutant.
 */
final class Mutator {

    private static final int[] INTERESTING_BYTES = {0x00, 0x01, 0x7F, 0x80, 0xFF};
    private static final long[] INTERESTING_INTS = {0, 1, 0xFF, 0xFFFF, 0x7FFF, 0x8000, 65_000, 30_000,
            0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL};

    private final Random random;

    Mutator(long seed) {
        random = new Random(seed);
    }

    /** A mutant of {@code original} (never the same array), with a short name of what was done. */
    Mutant mutate(byte[] original, List<byte[]> others) {
        byte[] bytes = original.clone();
        return switch (random.nextInt(8)) {
            case 0 -> flipBits(bytes);
            case 1 -> interestingBytes(bytes);
            case 2 -> new Mutant("truncate", Arrays.copyOf(bytes, random.nextInt(Math.max(1, bytes.length))));
            case 3 -> headerInteger(bytes);
            case 4 -> repeatSlice(bytes);
            case 5 -> removeSlice(bytes);
            case 6 -> insertRandom(bytes);
            default -> splice(bytes, others.get(random.nextInt(others.size())));
        };
    }

    record Mutant(String kind, byte[] bytes) {
    }

    private Mutant flipBits(byte[] bytes) {
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
            int at = random.nextInt(bytes.length);
            bytes[at] ^= (byte) (1 << random.nextInt(8));
        }
        return new Mutant("flip-bits", bytes);
    }

    private Mutant interestingBytes(byte[] bytes) {
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            bytes[random.nextInt(bytes.length)] = (byte) INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
        }
        return new Mutant("interesting-bytes", bytes);
    }

    /** Headers hold the sizes: an integer in the first 64 bytes, 2 or 4 bytes, either byte order. */
    private Mutant headerInteger(byte[] bytes) {
        int width = random.nextBoolean() ? 2 : 4;
        int at = random.nextInt(Math.max(1, Math.min(64, bytes.length) - width));
        long value = INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
        boolean bigEndian = random.nextBoolean();
        for (int i = 0; i < width && at + i < bytes.length; i++) {
            int shift = 8 * (bigEndian ? width - 1 - i : i);
            bytes[at + i] = (byte) (value >>> shift);
        }
        return new Mutant("header-int", bytes);
    }

    private Mutant repeatSlice(byte[] bytes) {
        int from = random.nextInt(bytes.length);
        int length = Math.min(bytes.length - from, 1 + random.nextInt(512));
        int times = 1 + random.nextInt(16);
        byte[] out = new byte[bytes.length + length * times];
        System.arraycopy(bytes, 0, out, 0, from + length);
        for (int t = 0; t < times; t++) {
            System.arraycopy(bytes, from, out, from + length * (t + 1), length);
        }
        System.arraycopy(bytes, from + length, out, from + length * (times + 1), bytes.length - from - length);
        return new Mutant("repeat-slice", out);
    }

    private Mutant removeSlice(byte[] bytes) {
        int from = random.nextInt(bytes.length);
        int length = Math.min(bytes.length - from, 1 + random.nextInt(256));
        byte[] out = new byte[bytes.length - length];
        System.arraycopy(bytes, 0, out, 0, from);
        System.arraycopy(bytes, from + length, out, from, bytes.length - from - length);
        return new Mutant("remove-slice", out);
    }

    private Mutant insertRandom(byte[] bytes) {
        int at = random.nextInt(bytes.length + 1);
        byte[] inserted = new byte[1 + random.nextInt(64)];
        random.nextBytes(inserted);
        byte[] out = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at, out, at + inserted.length, bytes.length - at);
        return new Mutant("insert-random", out);
    }

    /** The start of one file with the rest of another: a valid header over foreign data. */
    private Mutant splice(byte[] bytes, byte[] other) {
        int head = random.nextInt(bytes.length);
        int tail = random.nextInt(other.length);
        byte[] out = new byte[head + other.length - tail];
        System.arraycopy(bytes, 0, out, 0, head);
        System.arraycopy(other, tail, out, head, other.length - tail);
        return new Mutant("splice", out);
    }
}
