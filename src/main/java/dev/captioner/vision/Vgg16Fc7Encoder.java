package dev.captioner.vision;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.model.VGG16;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VGG16 from the DL4J zoo, up to fc7 (the second 4096-unit fully connected layer, after its ReLU). The zoo's
 * graph supplies the weights; {@link Vgg16Fc7Network} runs the forward pass, several times faster than the
 * graph itself, and fc8 is never computed.
 */
public final class Vgg16Fc7Encoder implements FeatureEncoder {

    public static final int FEATURE_SIZE = 4096;
    static final String FC7 = "19";
    static final String FC8 = "20";
    private static final Logger log = LoggerFactory.getLogger(Vgg16Fc7Encoder.class);

    private final EncoderWeights weights;
    private final Vgg16Fc7Network network;

    private Vgg16Fc7Encoder(EncoderWeights weights, ComputationGraph fullGraph) {
        this.weights = weights;
        requireVgg16Fc7(fullGraph);
        this.network = Vgg16Fc7Network.from(fullGraph, FC7);
    }

    /**
     * @param weightsFile for {@code imagenet}: a local copy of the zoo's weight file, used instead of the
     *                    download when given (offline machines); ignored for random weights
     */
    public static Vgg16Fc7Encoder create(EncoderWeights weights, Path weightsFile) {
        long start = System.nanoTime();
        Vgg16Fc7Encoder encoder = new Vgg16Fc7Encoder(weights, loadGraph(weights, weightsFile));
        // The network holds its own copies of the weights and the graph is unreachable now; ND4J frees an
        // array's native memory only when its small on-heap wrapper is collected, so without this the graph's
        // ~0.5 GB stays resident until some later, unpredictable GC (measured: 0.95 or 1.45 GB when ready).
        System.gc();
        log.info("VGG16 encoder {} ready in {} ms", encoder.id(), (System.nanoTime() - start) / 1_000_000);
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

    private static ComputationGraph loadGraph(EncoderWeights weights, Path weightsFile) {
        return switch (weights.kind()) {
            case RANDOM -> VGG16.builder().numClasses(1000).seed(weights.seed()).build().init();
            case IMAGENET -> weightsFile != null ? restore(weightsFile) : downloadImagenet();
        };
    }

    private static ComputationGraph downloadImagenet() {
        try {
            return (ComputationGraph) VGG16.builder().build().initPretrained(PretrainedType.IMAGENET);
        } catch (IOException e) {
            throw new UncheckedIOException("could not download VGG16 ImageNet weights through the DL4J zoo ("
                    + e.getMessage() + "); offline, set captioner.encoder-weights-file to a local copy", e);
        }
    }

    private static ComputationGraph restore(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("VGG16 weights file " + file + " does not exist");
        }
        try {
            return ModelSerializer.restoreComputationGraph(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("VGG16 weights file " + file + " is not a DL4J ComputationGraph: "
                    + e.getMessage(), e);
        }
    }

    /** Guards against a weight file of another network: fc7 must exist and be a 4096-unit dense layer. */
    private static void requireVgg16Fc7(ComputationGraph graph) {
        GraphVertex fc7 = graph.getVertex(FC7);
        if (fc7 == null || graph.getVertex(FC8) == null || !fc7.hasLayer()
                || !(fc7.getLayer().conf().getLayer() instanceof DenseLayer dense)
                || dense.getNOut() != FEATURE_SIZE) {
            throw new IllegalArgumentException("not a VGG16 graph: expected vertex '" + FC7
                    + "' to be the 4096-unit fc7 layer followed by '" + FC8 + "'");
        }
    }

    @Override
    public String id() {
        return "vgg16/" + weights;
    }

    public EncoderWeights weights() {
        return weights;
    }

    @Override
    public int featureSize() {
        return FEATURE_SIZE;
    }

    /** Serialised: the network reuses its activation buffers, and one pass already uses every core. */
    @Override
    public synchronized float[][] encode(List<BufferedImage> images) {
        if (images.isEmpty()) {
            return new float[0][];
        }
        INDArray input = Vgg16Preprocessor.toChannelsLast(images);
        try {
            return network.fc7(input);
        } finally {
            input.close();
        }
    }
}
