package dev.captioner.weights;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

/** Generated weights files: seeded random bytes behind the format's magic bytes. */
final class TestBytes {

    static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private TestBytes() {
    }

    static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] hdf5(int length, long seed) {
        return withPrefix(HDF5_MAGIC, random(length, seed));
    }

    static byte[] zip(int length, long seed) {
        return withPrefix(ZIP_MAGIC, random(length, seed));
    }

    static ExpectedChecksum checksum(ChecksumAlgorithm algorithm, byte[] bytes) {
        try {
            return new ExpectedChecksum(algorithm, algorithm.compute(new ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        return checksum(ChecksumAlgorithm.SHA256, bytes).value();
    }

    private static byte[] withPrefix(byte[] prefix, byte[] bytes) {
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        return bytes;
    }
}
