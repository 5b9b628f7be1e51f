package dev.captioner.training;

import dev.captioner.config.JsonFiles;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import dev.captioner.store.AtomicFiles;
import dev.captioner.store.ModelManifest;
import dev.captioner.vision.EncoderProbe;
import dev.captioner.vision.FeatureEncoder;
import tools.jackson.databind.json.JsonMapper;

/**
 * fc7 vectors on disk, one small file per (encoder, image), so a later or resumed job never encodes an image
 * twice. An image is identified by its path relative to the data root, size and modification time: editing
 * or replacing a file gives it a new key. Each entry is written aside and renamed into place, so a crash
 * leaves either a whole vector or none.
 */
public final class FeatureCache {

    private static final int MAGIC = 0x43465331; // "CFS1"
    static final String ENCODER_RECORD = "encoder-probe.json";
    private static final JsonMapper JSON = JsonFiles.MAPPER;

    private final Path dataRoot;
    private final Path folder;

    /** @param cacheRoot where all encoders' caches live, e.g. {@code <data>/features} */
    public FeatureCache(Path cacheRoot, Path dataRoot, String encoderId) {
        this.dataRoot = dataRoot.toAbsolutePath().normalize();
        this.folder = cacheRoot.toAbsolutePath().normalize().resolve(encoderId.replaceAll("[^A-Za-z0-9._-]+", "_"));
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
        try (InputStream in = Files.newInputStream(entry); DataInputStream data = new DataInputStream(in)) {
            if (data.readInt() != MAGIC) {
                throw new IOException("feature cache entry " + entry + " is not a feature file");
            }
            int length = data.readInt();
            byte[] bytes = data.readNBytes(length * Float.BYTES);
            if (bytes.length != length * Float.BYTES) {
                throw new IOException("feature cache entry " + entry + " is truncated");
            }
            float[] features = new float[length];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(features);
            return Optional.of(features);
        }
    }

    public void put(Path image, float[] features) throws IOException {
        Path entry = entry(image);
        Files.createDirectories(entry.getParent());
        Path temp = entry.resolveSibling(".tmp-" + UUID.randomUUID());
        ByteBuffer buffer = ByteBuffer.allocate(features.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(features);
        try (OutputStream out = Files.newOutputStream(temp); DataOutputStream data = new DataOutputStream(out)) {
            data.writeInt(MAGIC);
            data.writeInt(features.length);
            data.write(buffer.array());
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(temp);
            throw e;
        }
        AtomicFiles.move(temp, entry);
    }

    private Path entry(Path image) throws IOException {
        Path absolute = image.toAbsolutePath().normalize();
        String name = absolute.startsWith(dataRoot) ? dataRoot.relativize(absolute).toString() : absolute.toString();
        BasicFileAttributes attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
        String key = sha256(name + "\n" + attributes.size() + "\n" + attributes.lastModifiedTime().toMillis());
        return folder.resolve(key.substring(0, 2)).resolve(key + ".f32");
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
