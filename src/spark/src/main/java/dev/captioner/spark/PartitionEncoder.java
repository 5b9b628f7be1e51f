package dev.captioner.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

import dev.captioner.training.FeatureExtractor;
import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.ImageRejectedException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A task's images, in encoder batches: each read (bounded) and decoded by the service's {@link ImageDecoder}, those
 * that decode through VGG16 together; an image that cannot be read or decoded is left out with its reason, as the
 * single-machine {@link FeatureExtractor} leaves it out, never failing the task.
 */
final class PartitionEncoder {

    private final EncoderSpec spec;
    private final Configuration configuration;

    PartitionEncoder(EncoderSpec spec, Configuration configuration) {
        this.spec = spec;
        this.configuration = configuration;
    }

    /** @param batches told each batch's outcomes, in the images' order */
    void encode(Iterator<ImageRef> images, Consumer<List<Encoded>> batches) throws IOException {
        FeatureEncoder encoder = ExecutorState.encoder(spec, configuration);
        ImageDecoder decoder = spec.decoder();
        List<ImageRef> batch = new ArrayList<>(spec.batchSize());
        while (images.hasNext()) {
            batch.add(images.next());
            if (batch.size() == spec.batchSize() || !images.hasNext()) {
                batches.accept(encodeBatch(batch, decoder, encoder));
                batch.clear();
            }
        }
    }

    private List<Encoded> encodeBatch(List<ImageRef> batch, ImageDecoder decoder, FeatureEncoder encoder)
            throws IOException {
        List<Encoded> outcomes = new ArrayList<>(batch.size());
        List<BufferedImage> decoded = new ArrayList<>(batch.size());
        List<Integer> decodedAt = new ArrayList<>(batch.size());
        for (ImageRef image : batch) {
            Path path = new Path(image.uri());
            FileSystem fs = HadoopFiles.of(path, configuration);
            try {
                decoded.add(decoder.decode(HadoopFiles.readBounded(fs, path, spec.maxImageBytes())));
                decodedAt.add(outcomes.size());
                outcomes.add(null);
            } catch (ImageRejectedException e) {
                outcomes.add(new Encoded(image, null, FeatureExtractor.NOT_A_READABLE_IMAGE, FeatureExtractor.reason(e)));
            } catch (IOException e) {
                String reason = FeatureExtractor.reason(e);
                outcomes.add(new Encoded(image, null, reason, reason));
            }
        }
        if (!decoded.isEmpty()) {
            float[][] features = ExecutorState.encode(encoder, decoded);
            for (int i = 0; i < features.length; i++) {
                int at = decodedAt.get(i);
                outcomes.set(at, new Encoded(batch.get(at), features[i], null, null));
            }
        }
        return outcomes;
    }
}
