package dev.captioner.training;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.ImageRejectedException;

/**
 * Encodes image files in batches. Unreadable, missing or corrupt images are counted and skipped (their row
 * is null), never fatal: one bad file in 120k must not end a training job.
 */
public final class FeatureExtractor {

    public record Result(float[][] features, int skipped) {
    }

    private final ImageDecoder decoder;
    private final FeatureEncoder encoder;
    private final int batchSize;

    public FeatureExtractor(ImageDecoder decoder, FeatureEncoder encoder, int batchSize) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.batchSize = batchSize;
    }

    /** @param progress told the number of files done after each batch */
    public Result extract(List<Path> files, IntConsumer progress) {
        float[][] features = new float[files.size()][];
        int skipped = 0;
        List<BufferedImage> batch = new ArrayList<>(batchSize);
        List<Integer> rows = new ArrayList<>(batchSize);
        for (int i = 0; i < files.size(); i++) {
            try {
                batch.add(decoder.decode(Files.readAllBytes(files.get(i))));
                rows.add(i);
            } catch (IOException | ImageRejectedException e) {
                skipped++;
            }
            if (batch.size() == batchSize || i == files.size() - 1) {
                float[][] encoded = encoder.encode(batch);
                for (int k = 0; k < encoded.length; k++) {
                    features[rows.get(k)] = encoded[k];
                }
                batch.clear();
                rows.clear();
                progress.accept(i + 1);
            }
        }
        return new Result(features, skipped);
    }
}
