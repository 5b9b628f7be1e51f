package dev.captioner.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A published checksum, written {@code sha256:HEX}, {@code md5:HEX} or {@code adler32:DECIMAL}. */
public record ExpectedChecksum(ChecksumAlgorithm algorithm, String value) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,10}");

    public ExpectedChecksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(value, "value");
        value = value.strip().toLowerCase(Locale.ROOT);
        Pattern form = switch (algorithm) {
            case SHA256 -> SHA256_HEX;
            case MD5 -> MD5_HEX;
            case ADLER32 -> DECIMAL;
        };
        // an Adler32 is an unsigned 32-bit value: anything above 2^32-1 is a typo, not a checksum
        if (!form.matcher(value).matches()
                || algorithm == ChecksumAlgorithm.ADLER32 && Long.parseLong(value) > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not a valid " + algorithm.label() + " value: '" + value + "' ("
                    + describeForm(algorithm) + ")");
        }
    }

    public static ExpectedChecksum parse(String text) {
        Objects.requireNonNull(text, "checksum");
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("checksum '" + text
                    + "' has no algorithm: write sha256:HEX, md5:HEX or adler32:DECIMAL");
        }
        return new ExpectedChecksum(ChecksumAlgorithm.fromLabel(text.substring(0, colon).strip()),
                text.substring(colon + 1));
    }

    /**
     * What a file's checksums say about it, computed in one pass.
     *
     * @param computed every algorithm an accepted checksum uses, and SHA-256
     * @param matched  the first accepted checksum the file matches
     */
    public record Match(Map<ChecksumAlgorithm, String> computed, Optional<ExpectedChecksum> matched) {

        public String sha256() {
            return computed.get(ChecksumAlgorithm.SHA256);
        }

        /** "md5:..., adler32:..., sha256:...", for messages about a file that matched nothing. */
        public String describe() {
            return computed.entrySet().stream().map(entry -> entry.getKey().label() + ":" + entry.getValue())
                    .collect(Collectors.joining(", "));
        }
    }

    public static Match match(Path file, List<ExpectedChecksum> accepted) throws IOException {
        Set<ChecksumAlgorithm> algorithms = EnumSet.of(ChecksumAlgorithm.SHA256);
        accepted.forEach(checksum -> algorithms.add(checksum.algorithm()));
        Map<ChecksumAlgorithm, String> computed = ChecksumAlgorithm.computeAll(file, algorithms);
        return new Match(computed, accepted.stream()
                .filter(checksum -> checksum.matches(computed.get(checksum.algorithm())))
                .findFirst());
    }

    public boolean matches(String actual) {
        return actual != null && value.equalsIgnoreCase(actual.strip());
    }

    @Override
    public String toString() {
        return algorithm.label() + ":" + value;
    }

    private static String describeForm(ChecksumAlgorithm algorithm) {
        return switch (algorithm) {
            case SHA256 -> "64 hex digits";
            case MD5 -> "32 hex digits";
            case ADLER32 -> "a decimal number below 2^32";
        };
    }
}
