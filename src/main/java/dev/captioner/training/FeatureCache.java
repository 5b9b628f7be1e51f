package dev.captioner.training;

import dev.captioner.config.JsonFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import dev.captioner.store.AtomicFiles;
import dev.captioner.store.ModelManifest;
import dev.captioner.vision.EncoderProbe;
import dev.captioner.vision.FeatureEncoder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Feature vectors (fc7's 4096 floats, or a conv5_3 grid's 100,352) on disk, one small file per (encoder, image),
 * so a later or resumed job never encodes an image twice. An image is identified by its path relative to the
 * data root, size and modification time: editing or replacing a file gives it a new key. Each entry is written
 * aside and renamed into place, so a crash leaves either a whole vector or none. Entries are float32, or float16
 * when the caller asks (half the bytes: a grid is 401 KB as float32, 201 KB as float16); either is read back
 * whatever the cache was opened with, the entry's first four bytes say which.
 */
public final class FeatureCache {

    /** How an entry holds its numbers. */
    public enum Precision {
        /** Exactly what the encoder gave. */
        FLOAT32(0x43465331, Float.BYTES),  // "CFS1"
        /** Rounded to IEEE half precision (about three significant digits, at most 65504). */
        FLOAT16(0x43464831, Short.BYTES);  // "CFH1"

        private final int magic;
        private final int bytesPerNumber;

        Precision(int magic, int bytesPerNumber) {
            this.magic = magic;
            this.bytesPerNumber = bytesPerNumber;
        }

        /** What one entry of {@code length} numbers takes on disk: magic, length, numbers. */
        public long entryBytes(int length) {
            return HEADER_BYTES + (long) length * bytesPerNumber;
        }
    }

    private static final int HEADER_BYTES = 2 * Integer.BYTES;
    /** In an encoder's folder: the probe features of the encoder that wrote its entries. */
    public static final String ENCODER_RECORD = "encoder-probe.json";
    private static final JsonMapper JSON = JsonFiles.MAPPER;

    private final Path dataRoot;
    private final Path folder;
    private final Precision precision;

    /** @param cacheRoot where all encoders' caches live, e.g. {@code <data>/features} */
    public FeatureCache(Path cacheRoot, Path dataRoot, String encoderId) {
        this(cacheRoot, dataRoot, encoderId, Precision.FLOAT32);
    }

    /** @param precision how new entries are written; entries of either precision are read */
    public FeatureCache(Path cacheRoot, Path dataRoot, String encoderId, Precision precision) {
        this.dataRoot = dataRoot.toAbsolutePath().normalize();
        this.folder = cacheRoot.toAbsolutePath().normalize().resolve(folderName(encoderId));
        this.precision = precision;
    }

    /** The folder, under the cache root, of one encoder's entries. */
    public static String folderName(String encoderId) {
        return encoderId.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    /**
     * Where an image's entry lives in its encoder's folder ({@code 3f/3f…e1.f32}): a hash of the image's path
     * relative to the data root, its size and its modification time, so a cache filled elsewhere (a Spark job on
     * a shared file system) is found by the training job for the same files.
     */
    public static String entryName(String relativeName, long size, long modifiedMillis) {
        String key = sha256(relativeName + "\n" + size + "\n" + modifiedMillis);
        // named .f32 since before float16 entries existed; the magic, not the name, says which an entry is
        return key.substring(0, 2) + "/" + key + ".f32";
    }

    public Path folder() {
        return folder;
    }

    /**
     * Ties the cache to the encoder's weights. Two files can give the same weights id ({@code imagenet} from the
     * Keras file or the DL4J zoo's): the features on the probe image are recorded with the first entries, and an
     * encoder that does not reproduce them finds the old entries moved aside rather than mixed with its own.
     *
     * @return empty, or what was moved aside and why
     */
    public Optional<String> bindTo(FeatureEncoder encoder) throws IOException {
        Path record = folder.resolve(ENCODER_RECORD);
        if (Files.isRegularFile(record)) {
            ModelManifest.EncoderProbe recorded = JSON.readValue(record.toFile(), ModelManifest.EncoderProbe.class);
            Optional<String> mismatch = EncoderProbe.mismatch(encoder, recorded);
            if (mismatch.isEmpty()) {
                return Optional.empty();
            }
            Path aside = folder.resolveSibling(folder.getFileName() + ".stale-" + System.currentTimeMillis());
            AtomicFiles.move(folder, aside);
            writeRecord(encoder);
            return Optional.of("the cached features in " + folder + " were made by other weights (" + mismatch.get()
                    + "): moved aside to " + aside);
        }
        writeRecord(encoder);
        return Optional.empty();
    }

    private void writeRecord(FeatureEncoder encoder) throws IOException {
        Files.createDirectories(folder);
        Path temp = folder.resolve(".tmp-" + UUID.randomUUID());
        JSON.writeValue(temp.toFile(), EncoderProbe.measure(encoder));
        AtomicFiles.move(temp, folder.resolve(ENCODER_RECORD));
    }

    public boolean contains(Path image) {
        try {
            return Files.isRegularFile(entry(image));
        } catch (IOException e) {
            return false;
        }
    }

    /** The stored vector, or empty when the image was never encoded (or has changed since). */
    public Optional<float[]> get(Path image) throws IOException {
        Path entry;
        try {
            entry = entry(image);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(entry)) {
            return Optional.empty();
        }
        return Optional.of(readEntry(Files.readAllBytes(entry), entry.toString()));
    }

    /**
     * The features of an entry's bytes, as {@link #put} writes them.
     *
     * @param where the entry's name, for the messages
     * @throws IOException when the bytes are not a whole entry
     */
    public static float[] readEntry(byte[] entry, String where) throws IOException {
        if (entry.length < HEADER_BYTES) {
            throw new IOException("feature cache entry " + where + " is truncated: " + entry.length + " bytes");
        }
        ByteBuffer header = ByteBuffer.wrap(entry, 0, HEADER_BYTES);
        Precision stored = precisionOf(header.getInt(), where);
        int length = header.getInt();
        if (length < 0 || stored.entryBytes(length) > entry.length) {
            throw new IOException("feature cache entry " + where + " is truncated: " + entry.length + " bytes for "
                    + length + " features");
        }
        if (stored.entryBytes(length) < entry.length) {
            throw new IOException("feature cache entry " + where + " is corrupt: " + entry.length + " bytes, "
                    + stored.entryBytes(length) + " expected for " + length + " features");
        }
        byte[] numbers = Arrays.copyOfRange(entry, HEADER_BYTES, entry.length);
        return decode(stored, numbers, length);
    }

    private static Precision precisionOf(int magic, String entry) throws IOException {
        for (Precision candidate : Precision.values()) {
            if (candidate.magic == magic) {
                return candidate;
            }
        }
        throw new IOException("feature cache entry " + entry + " is not a feature file");
    }

    private static float[] decode(Precision stored, byte[] bytes, int length) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] features = new float[length];
        if (stored == Precision.FLOAT32) {
            buffer.asFloatBuffer().get(features);
        } else {
            ShortBuffer halves = buffer.asShortBuffer();
            for (int i = 0; i < length; i++) {
                features[i] = Float16.toFloat(halves.get(i));
            }
        }
        return features;
    }

    /**
     * @throws IllegalArgumentException in a float16 cache, for a feature beyond float16's range (it would be
     *                                  stored as infinity)
     */
    public void put(Path image, float[] features) throws IOException {
        byte[] bytes = entryBytes(precision, features);
        Path entry = entry(image);
        Files.createDirectories(entry.getParent());
        Path temp = entry.resolveSibling(".tmp-" + UUID.randomUUID());
        try {
            Files.write(temp, bytes);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(temp);
            throw e;
        }
        AtomicFiles.move(temp, entry);
    }

    /**
     * An entry as {@link #put} writes it: magic, length (big-endian), the numbers (little-endian).
     *
     * @throws IllegalArgumentException for float16, a feature beyond float16's range (it would be stored as infinity)
     */
    public static byte[] entryBytes(Precision precision, float[] features) {
        ByteBuffer entry = ByteBuffer.allocate(Math.toIntExact(precision.entryBytes(features.length)));
        entry.putInt(precision.magic).putInt(features.length);
        entry.put(encode(precision, features));
        return entry.array();
    }

    private static byte[] encode(Precision precision, float[] features) {
        ByteBuffer buffer = ByteBuffer.allocate(features.length * precision.bytesPerNumber).order(ByteOrder.LITTLE_ENDIAN);
        if (precision == Precision.FLOAT32) {
            buffer.asFloatBuffer().put(features);
            return buffer.array();
        }
        ShortBuffer halves = buffer.asShortBuffer();
        for (int i = 0; i < features.length; i++) {
            if (Math.abs(features[i]) > Float16.MAX_VALUE) {
                throw new IllegalArgumentException("feature " + i + " is " + features[i] + ", beyond what float16 holds ("
                        + Float16.MAX_VALUE + "): cache these features as float32");
            }
            halves.put(i, Float16.fromFloat(features[i]));
        }
        return buffer.array();
    }

    private Path entry(Path image) throws IOException {
        Path absolute = image.toAbsolutePath().normalize();
        String name = absolute.startsWith(dataRoot) ? dataRoot.relativize(absolute).toString() : absolute.toString();
        BasicFileAttributes attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
        return folder.resolve(entryName(name, attributes.size(), attributes.lastModifiedTime().toMillis()));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
