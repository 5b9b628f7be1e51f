package dev.captioner.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.awt.image.BufferedImage;

import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelStore;
import dev.captioner.vision.FeatureEncoder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What an executor JVM builds once and every task on it shares: VGG16 (seconds and ~550 MB of native memory to
 * build, so never per task or per image), the caption model, the feature caches it has bound to. One batch at a
 * time goes through VGG16 per JVM: an executor with several cores decodes the next batch while one is encoded,
 * and its native memory stays at the network plus one batch's activations, however many tasks it runs.
 */
final class ExecutorState {

    /** One network per weights (and file), whichever layers the jobs on this JVM take their features from. */
    private static final Map<String, FeatureEncoder> NETWORKS = new HashMap<>();
    private static final Map<String, CaptionModel> MODELS = new HashMap<>();
    private static final Map<String, java.nio.file.Path> LOCAL_FILES = new HashMap<>();
    private static final Semaphore ENCODING = new Semaphore(1);

    private ExecutorState() {
    }

    static synchronized FeatureEncoder encoder(EncoderSpec spec, Configuration configuration) {
        String key = spec.weights() + "\n" + spec.weightsFile() + "\n" + spec.weightsChecksum();
        FeatureEncoder network = NETWORKS.get(key);
        if (network == null) {
            java.nio.file.Path weightsFile = spec.weightsFile() == null ? null : localFile(spec.weightsFile(), configuration);
            network = spec.create(weightsFile);
            NETWORKS.put(key, network);
        }
        return network.atLayer(spec.parsedLayer()).orElseThrow(() -> new IllegalStateException(
                "VGG16 gives no " + spec.layer() + " features"));
    }

    /** A batch through VGG16, waiting for the one this JVM has to be free. */
    static float[][] encode(FeatureEncoder encoder, List<BufferedImage> images) {
        ENCODING.acquireUninterruptibly();
        try {
            return encoder.encode(images);
        } finally {
            ENCODING.release();
        }
    }

    /** A stored model, its checksums verified, from a store on any Hadoop file system (copied here once). */
    static synchronized CaptionModel model(String storeUri, String modelId, Configuration configuration) {
        String key = storeUri + "\n" + modelId;
        CaptionModel model = MODELS.get(key);
        if (model == null) {
            model = load(storeUri, modelId, configuration);
            MODELS.put(key, model);
        }
        return model;
    }

    static CaptionModel load(String storeUri, String modelId, Configuration configuration) {
        try {
            Path store = new Path(storeUri);
            FileSystem fs = HadoopFiles.of(store, configuration);
            if ("file".equals(fs.getUri().getScheme())) {
                return new ModelStore(java.nio.file.Path.of(fs.makeQualified(store).toUri())).load(modelId);
            }
            java.nio.file.Path localStore = Files.createTempDirectory("captioner-spark-models");
            java.nio.file.Path folder = Files.createDirectories(localStore.resolve(modelId));
            for (String name : List.of(ModelStore.MANIFEST, ModelStore.VOCABULARY, ModelStore.DECODER)) {
                try (InputStream in = fs.open(new Path(new Path(store, modelId), name))) {
                    Files.copy(in, folder.resolve(name));
                }
            }
            return new ModelStore(localStore).load(modelId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model '" + modelId + "' from " + storeUri, e);
        }
    }

    private static java.nio.file.Path localFile(String uri, Configuration configuration) {
        return LOCAL_FILES.computeIfAbsent(uri, key -> {
            try {
                return HadoopFiles.local(key, configuration);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + key, e);
            }
        });
    }
}
