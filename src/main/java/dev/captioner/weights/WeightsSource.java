package dev.captioner.weights;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One place the weights can be downloaded from, with the checksum its publisher gives for the file.
 *
 * @param expectedSize the file's length in bytes, or -1 when the publisher does not give it
 */
public record WeightsSource(String name, WeightsFormat format, URI url, ExpectedChecksum checksum, long expectedSize) {

    public static final long UNKNOWN_SIZE = -1;
    public static final String DEFAULT_DL4J_BASE_URL = "https://dl4jdata.blob.core.windows.net/";

    private static final ExpectedChecksum KERAS_MD5 = ExpectedChecksum.parse("md5:64373286793e3c8b2b4e3219cbf3544b");
    private static final long KERAS_SIZE = 553_467_096L;
    private static final ExpectedChecksum DL4J_ADLER32 = ExpectedChecksum.parse("adler32:3501732770");

    public WeightsSource {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a weights source needs a name");
        }
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(url, "url");
        if (!("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))
                || url.getHost() == null) {
            throw new IllegalArgumentException("source " + name + ": not an http(s) URL: " + url);
        }
        if (expectedSize != UNKNOWN_SIZE && expectedSize <= 0) {
            throw new IllegalArgumentException("source " + name + ": expected size must be positive or -1, not "
                    + expectedSize);
        }
    }

    /** The known sources, most reliable first: Keras on Google Cloud Storage, its GitHub copy, the DL4J zoo. */
    public static List<WeightsSource> defaults(String dl4jBaseUrl) {
        String base = dl4jBaseUrl == null || dl4jBaseUrl.isBlank() ? DEFAULT_DL4J_BASE_URL : dl4jBaseUrl.strip();
        if (!base.endsWith("/")) {
            base += "/";
        }
        WeightsFormat keras = WeightsFormat.KERAS_H5;
        WeightsFormat dl4j = WeightsFormat.DL4J_ZIP;
        return List.of(
                new WeightsSource("keras-gcs", keras, URI.create(
                        "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/" + keras.fileName()),
                        KERAS_MD5, KERAS_SIZE),
                new WeightsSource("keras-github", keras, URI.create(
                        "https://github.com/fchollet/deep-learning-models/releases/download/v0.1/" + keras.fileName()),
                        KERAS_MD5, KERAS_SIZE),
                new WeightsSource("dl4j-zoo", dl4j, URI.create(base + "models/" + dl4j.fileName()),
                        DL4J_ADLER32, UNKNOWN_SIZE));
    }

    @Override
    public String toString() {
        return name + " (" + url + ")";
    }
}
