package dev.captioner.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.Adler32;

/** The checksums weight sources are published with, computed by streaming so a 550 MB file needs no memory. */
public enum ChecksumAlgorithm {

    SHA256("sha256"),
    MD5("md5"),
    ADLER32("adler32");

    private static final int BUFFER_SIZE = 1 << 16;

    private final String label;

    ChecksumAlgorithm(String label) {
        this.label = label;
    }

    /** The lowercase name used in {@code algorithm:value} strings. */
    public String label() {
        return label;
    }

    /** Lowercase hex for the digests, decimal for Adler32 (the form the DL4J zoo publishes). */
    public String compute(InputStream in) throws IOException {
        Hasher hasher = newHasher();
        byte[] buffer = new byte[BUFFER_SIZE];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            hasher.update(buffer, n);
        }
        return hasher.value();
    }

    public String compute(Path file) throws IOException {
        return computeAll(file, List.of(this)).get(this);
    }

    /** Several checksums in one pass over the file: reading 550 MB once instead of three times. */
    public static Map<ChecksumAlgorithm, String> computeAll(Path file, Collection<ChecksumAlgorithm> algorithms)
            throws IOException {
        Map<ChecksumAlgorithm, Hasher> hashers = new EnumMap<>(ChecksumAlgorithm.class);
        algorithms.forEach(algorithm -> hashers.put(algorithm, algorithm.newHasher()));
        byte[] buffer = new byte[BUFFER_SIZE];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                for (Hasher hasher : hashers.values()) {
                    hasher.update(buffer, n);
                }
            }
        }
        Map<ChecksumAlgorithm, String> values = new EnumMap<>(ChecksumAlgorithm.class);
        hashers.forEach((algorithm, hasher) -> values.put(algorithm, hasher.value()));
        return values;
    }

    static ChecksumAlgorithm fromLabel(String label) {
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.label.equalsIgnoreCase(label)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("unknown checksum algorithm '" + label + "': use sha256, md5 or adler32");
    }

    private Hasher newHasher() {
        return switch (this) {
            case SHA256 -> digest("SHA-256");
            case MD5 -> digest("MD5");
            case ADLER32 -> {
                Adler32 adler = new Adler32();
                yield new Hasher() {
                    public void update(byte[] bytes, int length) {
                        adler.update(bytes, 0, length);
                    }

                    public String value() {
                        return Long.toString(adler.getValue());
                    }
                };
            }
        };
    }

    private static Hasher digest(String name) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides " + name, e);
        }
        return new Hasher() {
            public void update(byte[] bytes, int length) {
                digest.update(bytes, 0, length);
            }

            public String value() {
                return HexFormat.of().formatHex(digest.digest());
            }
        };
    }

    private interface Hasher {
        void update(byte[] bytes, int length);

        String value();
    }
}
