package dev.captioner.weights;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

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
