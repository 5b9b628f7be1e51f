package dev.captioner.spark;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import dev.captioner.config.JsonFiles;
import dev.captioner.store.ModelManifest;
import dev.captioner.training.FeatureCache;
import dev.captioner.vision.EncoderProbe;
import dev.captioner.vision.FeatureEncoder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The training job's feature cache ({@link FeatureCache}'s layout: {@code <cache>/<encoder>/<xx>/<key>.f32}, the
 * same entry bytes and keys) on any Hadoop file system. Every entry is written aside and renamed, and its name is
 * a function of the image alone, so a retried or speculative task rewrites the same entry, never a second one.
 */
final class CacheWriter {

    /** Cache folders this JVM has checked against its encoder's probe. */
    private static final Set<String> BOUND = new HashSet<>();

    private final FileSystem fs;
    private final Path folder;
    private final FeatureCache.Precision precision;

    CacheWriter(String cacheRoot, String encoderId, FeatureCache.Precision precision, Configuration configuration)
            throws IOException {
        Path root = new Path(cacheRoot);
        this.fs = HadoopFiles.of(root, configuration);
        this.folder = new Path(root, FeatureCache.folderName(encoderId));
        this.precision = precision;
    }

    /**
     * Ties the folder to the encoder, as {@link FeatureCache#bindTo} does: the first writer records the probe
     * image's features; an encoder that does not reproduce a recorded probe fails the job rather than mix its
     * features with another network's.
     */
    void bindTo(FeatureEncoder encoder) throws IOException {
        synchronized (BOUND) {
            if (BOUND.contains(folder.toString())) {
                return;
            }
            Path record = new Path(folder, FeatureCache.ENCODER_RECORD);
            if (fs.exists(record)) {
                ModelManifest.EncoderProbe recorded;
                try (InputStream in = fs.open(record)) {
                    recorded = JsonFiles.read(in, record.toString(), ModelManifest.EncoderProbe.class, "an encoder probe");
                }
                Optional<String> mismatch = EncoderProbe.mismatch(encoder, recorded);
                if (mismatch.isPresent()) {
                    throw new IllegalStateException("the feature cache " + folder + " holds features made by other "
                            + "weights (" + mismatch.get() + "): remove it or give another --cache");
                }
            } else {
                fs.mkdirs(folder);
                HadoopFiles.writeAside(fs, record, JsonFiles.MAPPER.writeValueAsBytes(EncoderProbe.measure(encoder)));
            }
            BOUND.add(folder.toString());
        }
    }

    Path entry(ImageRef image) {
        return new Path(folder, FeatureCache.entryName(image.relativeName(), image.size(), image.modifiedMillis()));
    }

    /** The features an earlier run (or attempt) stored for this image, or empty. */
    Optional<float[]> get(ImageRef image) throws IOException {
        Path entry = entry(image);
        if (!fs.exists(entry)) {
            return Optional.empty();
        }
        try (InputStream in = fs.open(entry)) {
            return Optional.of(FeatureCache.readEntry(in.readAllBytes(), entry.toString()));
        }
    }

    boolean contains(ImageRef image) throws IOException {
        return fs.exists(entry(image));
    }

    void put(ImageRef image, float[] features) throws IOException {
        Path entry = entry(image);
        fs.mkdirs(entry.getParent());
        HadoopFiles.writeAside(fs, entry, FeatureCache.entryBytes(precision, features));
    }
}
