package dev.captioner.vision;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.captioner.store.ModelManifest;
import dev.captioner.weights.ImagenetWeights;
import dev.captioner.weights.WeightsFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.model.VGG16;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VGG16 up to fc7 (the second 4096-unit fully connected layer, after its ReLU), with ImageNet weights from a
 * Keras Applications HDF5 file or the DL4J zoo's zip, or a seeded random initialisation (the zoo graph's).
 * {@link Vgg16Network} runs the forward pass, several times faster than DL4J's graph, and fc8 is never
 * computed. {@link #atLayer} gives the conv5_3 grid of the same network (one copy of the ~550 MB of weights).
 */
public final class Vgg16Fc7Encoder implements FeatureEncoder {

    public static final int FEATURE_SIZE = 4096;
    static final String FC7 = Vgg16GraphWeights.FC7;
    private static final Logger log = LoggerFactory.getLogger(Vgg16Fc7Encoder.class);

    private final EncoderWeights weights;
    private final ModelManifest.WeightsSource source;
    /** Also the lock of every view over it: one pass at a time, whichever layer it stops at. */
    private final Vgg16Network network;
    private final Vgg16Conv5GridEncoder grid;

    private Vgg16Fc7Encoder(EncoderWeights weights, ModelManifest.WeightsSource source, Vgg16Weights parameters) {
        this.weights = weights;
        this.source = source;
        this.network = new Vgg16Network(parameters);
        this.grid = new Vgg16Conv5GridEncoder(this, network);
    }

    /** The zoo graph's initialisation with this seed: the same seed always gives the same features. */
    public static Vgg16Fc7Encoder random(long seed) {
        long start = System.nanoTime();
        return ready(new Vgg16Fc7Encoder(EncoderWeights.random(seed), ModelManifest.WeightsSource.seededRandom(seed),
                seededRandom(seed)), start, true, "");
    }

    /**
     * Loads weights from a file that has already been verified against its checksum: a Keras Applications
     * HDF5 file or the DL4J zoo's zip, told apart by their first bytes.
     */
    public static Vgg16Fc7Encoder load(EncoderWeights weights, Path file, ModelManifest.WeightsSource source) {
        long start = System.nanoTime();
        return ready(new Vgg16Fc7Encoder(weights, source, convert(file)), start, true, "");
    }

    /**
     * Creates the encoder for a weights choice, resolving {@code imagenet} to its installed, verified file. The
     * network's weights come from the prepared file beside the installed weights ({@link PreparedVgg16Weights})
     * when it is there and intact, else from the source, converted once and prepared for the next start.
     *
     * @param imagenet null only for seeded random weights: then nothing is prepared
     */
    public static Vgg16Fc7Encoder create(EncoderWeights weights, ImagenetWeights imagenet) {
        if (imagenet == null) {
            // no weights folder to keep a prepared file in (tests, tools): seeded weights are initialised as they are
            if (weights.kind() != EncoderWeights.Kind.RANDOM) {
                throw new IllegalArgumentException("ImageNet weights need an ImagenetWeights to resolve them");
            }
            return random(weights.seed());
        }
        PreparedVgg16Weights prepared = new PreparedVgg16Weights(imagenet.installDir().resolve(PreparedVgg16Weights.FOLDER));
        long start = System.nanoTime();
        if (weights.kind() == EncoderWeights.Kind.RANDOM) {
            PreparedVgg16Weights.Loaded loaded = prepared.readOrPrepare(PreparedVgg16Weights.seedKey(weights.seed()),
                    () -> seededRandom(weights.seed()));
            return ready(new Vgg16Fc7Encoder(weights, ModelManifest.WeightsSource.seededRandom(weights.seed()),
                    loaded.weights()), start, loaded.converted(), describe(loaded));
        }
        ImagenetWeights.Resolved resolved = imagenet.resolve();
        long verified = System.nanoTime();
        PreparedVgg16Weights.Loaded loaded = prepared.readOrPrepare(PreparedVgg16Weights.sourceKey(resolved.source().sha256()),
                () -> convert(resolved.file()));
        return ready(new Vgg16Fc7Encoder(weights, resolved.source(), loaded.weights()), start, loaded.converted(),
                "checksum " + (verified - start) / 1_000_000 + " ms, " + describe(loaded));
    }

    /** As {@link #create(EncoderWeights, ImagenetWeights)}, giving the features of the layer asked for. */
    public static FeatureEncoder create(EncoderWeights weights, EncoderLayer layer, ImagenetWeights imagenet) {
        return create(weights, imagenet).atLayer(layer).orElseThrow();
    }

    private static Vgg16Weights seededRandom(long seed) {
        return Vgg16GraphWeights.from(VGG16.builder().numClasses(1000).seed(seed).build().init());
    }

    private static Vgg16Weights convert(Path file) {
        return switch (format(file)) {
            case KERAS_H5 -> KerasVgg16File.read(file);
            case DL4J_ZIP -> Vgg16GraphWeights.from(restoreGraph(file));
        };
    }

    private static String describe(PreparedVgg16Weights.Loaded loaded) {
        return (loaded.converted() ? "converted from the source, prepared as " : "read from ") + loaded.file().getFileName();
    }

    /**
     * @param converted whether the weights were built from a source, leaving garbage behind (a zoo graph, the
     *                  file's own layout): then one collection frees it
     */
    private static Vgg16Fc7Encoder ready(Vgg16Fc7Encoder encoder, long start, boolean converted, String how) {
        if (converted) {
            // Everything the loading allocated besides the network's own arrays is unreachable now; ND4J frees an
            // array's native memory only when its small on-heap wrapper is collected, so without this the zoo
            // graph's ~0.5 GB stays resident until some later, unpredictable GC (measured: 0.95 or 1.45 GB when ready).
            System.gc();
        }
        log.info("VGG16 encoder {} ready in {} ms ({}{})", encoder.id(), (System.nanoTime() - start) / 1_000_000,
                encoder.source.file() != null ? encoder.source.format() + " " + encoder.source.file() : encoder.source.origin(),
                how.isEmpty() ? "" : "; " + how);
        if (!Dl4jRuntime.oneDnnBuild()) {
            log.warn("the loaded libnd4j was built without oneDNN: VGG16 will be several times slower "
                    + "(native libraries: {})", Dl4jRuntime.nativeLibraries());
        }
        if (!Dl4jRuntime.ompWaitPolicyPassive()) {
            log.warn("OMP_WAIT_POLICY is not 'passive': concurrent requests and training will be far slower "
                    + "(set OMP_WAIT_POLICY=passive in the environment before starting the JVM)");
        }
        return encoder;
    }

    private static WeightsFormat format(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("VGG16 weights file " + file + " does not exist");
        }
        try {
            return WeightsFormat.detect(file).orElseThrow(() -> new IllegalArgumentException(
                    "VGG16 weights file " + file + " is neither a Keras HDF5 file nor a DL4J zip"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read VGG16 weights file " + file, e);
        }
    }

    private static ComputationGraph restoreGraph(Path file) {
        try {
            return ModelSerializer.restoreComputationGraph(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("VGG16 weights file " + file + " is not a DL4J ComputationGraph: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return EncoderLayer.FC7.encoderId(weights);
    }

    @Override
    public EncoderLayer layer() {
        return EncoderLayer.FC7;
    }

    /** Either layer of this network, sharing its weights and its lock. */
    @Override
    public Optional<FeatureEncoder> atLayer(EncoderLayer layer) {
        return Optional.of(layer == EncoderLayer.CONV5_3 ? grid : this);
    }

    public EncoderWeights weights() {
        return weights;
    }

    @Override
    public ModelManifest.WeightsSource source() {
        return source;
    }

    @Override
    public int featureSize() {
        return FEATURE_SIZE;
    }

    @Override
    public void releaseWorkingMemory() {
        synchronized (network) {
            network.releaseActivationBuffers();
        }
    }

    /** Bytes of activation buffers held between passes. */
    long workingMemoryBytes() {
        synchronized (network) {
            return network.activationBufferBytes();
        }
    }

    @Override
    public float[][] encode(List<BufferedImage> images) {
        return run(network, images, network::fc7);
    }

    /** Serialised on the network: it reuses its activation buffers, and one pass already uses every core. */
    static float[][] run(Vgg16Network network, List<BufferedImage> images, Function<INDArray, float[][]> pass) {
        if (images.isEmpty()) {
            return new float[0][];
        }
        INDArray input = Vgg16Preprocessor.toChannelsLast(images);
        try {
            synchronized (network) {
                return pass.apply(input);
            }
        } finally {
            input.close();
        }
    }
}
