package dev.captioner.language;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.captioner.compute.Matmul.product;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Word embedding -> LSTM -> softmax over the vocabulary, conditioned on the image at every step.
 *
 * <p>The image enters as CS231n's {@code W_ih·v} term carried over to the LSTM: the standardised feature
 * vector v is projected by {@code imageWeights} (D x 4H) and added to all four gate pre-activations,
 * {@code a_t = W_x·x_t + W_h·h_{t-1} + W_ih·v + b}, gates ordered input, forget, output, candidate. The
 * projection is computed once per image, not once per step.
 *
 * <p>Forward and backward passes are written out by hand (checked against numerical gradients in the
 * tests) so that the output layer and the weight gradients run as a few large matrix products over all
 * time steps at once.
 */
public final class LstmDecoder implements CaptionDecoder {

    public static final String WORD_EMBEDDING = "wordEmbedding";
    public static final String INPUT_WEIGHTS = "inputWeights";
    public static final String RECURRENT_WEIGHTS = "recurrentWeights";
    public static final String IMAGE_WEIGHTS = "imageWeights";
    public static final String GATE_BIAS = "gateBias";
    public static final String OUTPUT_WEIGHTS = "outputWeights";
    public static final String OUTPUT_BIAS = "outputBias";
    public static final String FEATURE_MEAN = "featureMean";
    public static final String FEATURE_SCALE = "featureScale";
    public static final List<String> TRAINABLE = List.of(WORD_EMBEDDING, INPUT_WEIGHTS, RECURRENT_WEIGHTS,
            IMAGE_WEIGHTS, GATE_BIAS, OUTPUT_WEIGHTS, OUTPUT_BIAS);

    private final DecoderDimensions dims;
    private final Map<String, INDArray> params;

    private LstmDecoder(DecoderDimensions dims, Map<String, INDArray> params) {
        this.dims = dims;
        this.params = params;
    }

    /**
     * Fresh weights. Features are standardised with the given per-dimension mean and scale (from the
     * training set) because raw fc7 activations, especially of a random VGG16, have wildly varying ranges.
     */
    public static LstmDecoder initialize(DecoderDimensions dims, float[] featureMean, float[] featureScale,
                                         long seed, DataType type) {
        int v = dims.vocabularySize();
        int e = dims.embeddingSize();
        int h = dims.hiddenSize();
        int d = dims.featureSize();
        Random random = new Random(seed);
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put(WORD_EMBEDDING, LstmCell.gaussian(random, v, e, 0.1, type));
        p.put(INPUT_WEIGHTS, LstmCell.gaussian(random, e, 4 * h, 1 / Math.sqrt(e), type));
        p.put(RECURRENT_WEIGHTS, LstmCell.gaussian(random, h, 4 * h, 1 / Math.sqrt(h), type));
        p.put(IMAGE_WEIGHTS, LstmCell.gaussian(random, d, 4 * h, 1 / Math.sqrt(d), type));
        INDArray bias = Nd4j.zeros(type, 1, 4 * h);
        // forget-gate bias 1: remember by default, the usual remedy for vanishing early gradients
        LstmCell.gate(bias, 1, h).assign(1.0);
        p.put(GATE_BIAS, bias);
        p.put(OUTPUT_WEIGHTS, LstmCell.gaussian(random, h, v, 1 / Math.sqrt(h), type));
        p.put(OUTPUT_BIAS, Nd4j.zeros(type, 1, v));
        p.put(FEATURE_MEAN, Nd4j.create(featureMean, new long[] {1, d}).castTo(type));
        p.put(FEATURE_SCALE, Nd4j.create(featureScale, new long[] {1, d}).castTo(type));
        return new LstmDecoder(dims, p);
    }

    /** Rebuilds a decoder from stored parameters, checking that every array is present and consistent. */
    public static LstmDecoder fromParameters(Map<String, INDArray> stored) {
        for (String name : List.of(WORD_EMBEDDING, INPUT_WEIGHTS, RECURRENT_WEIGHTS, IMAGE_WEIGHTS, GATE_BIAS,
                OUTPUT_WEIGHTS, OUTPUT_BIAS, FEATURE_MEAN, FEATURE_SCALE)) {
            if (!stored.containsKey(name)) {
                throw new IllegalArgumentException("decoder parameters lack '" + name + "'");
            }
        }
        long[] embedding = stored.get(WORD_EMBEDDING).shape();
        long[] image = stored.get(IMAGE_WEIGHTS).shape();
        DecoderDimensions dims = new DecoderDimensions((int) embedding[0], (int) embedding[1],
                (int) stored.get(RECURRENT_WEIGHTS).shape()[0], (int) image[0]);
        Map<String, INDArray> p = new LinkedHashMap<>(stored);
        LstmDecoder decoder = new LstmDecoder(dims, p);
        decoder.checkShapes();
        return decoder;
    }

    private void checkShapes() {
        int v = dims.vocabularySize();
        int e = dims.embeddingSize();
        int h = dims.hiddenSize();
        int d = dims.featureSize();
        Map<String, long[]> expected = Map.of(
                WORD_EMBEDDING, new long[] {v, e}, INPUT_WEIGHTS, new long[] {e, 4L * h},
                RECURRENT_WEIGHTS, new long[] {h, 4L * h}, IMAGE_WEIGHTS, new long[] {d, 4L * h},
                GATE_BIAS, new long[] {1, 4L * h}, OUTPUT_WEIGHTS, new long[] {h, v}, OUTPUT_BIAS, new long[] {1, v},
                FEATURE_MEAN, new long[] {1, d}, FEATURE_SCALE, new long[] {1, d});
        LstmCell.requireShapes(params, expected, "decoder");
    }

    public DecoderDimensions dimensions() {
        return dims;
    }

    @Override
    public String kind() {
        return LSTM;
    }

    @Override
    public int vocabularySize() {
        return dims.vocabularySize();
    }

    @Override
    public int embeddingSize() {
        return dims.embeddingSize();
    }

    @Override
    public int hiddenSize() {
        return dims.hiddenSize();
    }

    @Override
    public int featureSize() {
        return dims.featureSize();
    }

    @Override
    public GridShape grid() {
        return null;
    }

    @Override
    public List<String> trainable() {
        return TRAINABLE;
    }

    @Override
    public List<String> weightMatrices() {
        return List.of(INPUT_WEIGHTS, RECURRENT_WEIGHTS, IMAGE_WEIGHTS, OUTPUT_WEIGHTS);
    }

    @Override
    public NextWordModel nextWordModel(float[] features) {
        return new LstmNextWordModel(this, features);
    }

    @Override
    public Map<String, INDArray> parameters() {
        return params;
    }

    @Override
    public DataType dataType() {
        return params.get(OUTPUT_WEIGHTS).dataType();
    }

    @Override
    public LstmDecoder copy() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        params.forEach((name, array) -> p.put(name, array.dup()));
        return new LstmDecoder(dims, p);
    }

    private INDArray p(String name) {
        return params.get(name);
    }

    public INDArray standardize(INDArray features) {
        return features.castTo(dataType()).subRowVector(p(FEATURE_MEAN)).muliRowVector(p(FEATURE_SCALE));
    }

    /** {@code W_ih·v + b} for each image row: the part of the gate pre-activations that is fixed per image. */
    public INDArray imageGates(INDArray features) {
        return product(standardize(features), p(IMAGE_WEIGHTS)).addiRowVector(p(GATE_BIAS));
    }

    /** One LSTM step for a batch of rows (beams or images) at inference time. */
    public Step step(int[] tokens, INDArray hidden, INDArray cell, INDArray imageGates) {
        int h = dims.hiddenSize();
        INDArray x = Nd4j.pullRows(p(WORD_EMBEDDING), 1, tokens);
        INDArray a = product(x, p(INPUT_WEIGHTS)).addi(product(hidden, p(RECURRENT_WEIGHTS)));
        if (imageGates.rows() == 1 && a.rows() > 1) {
            a.addiRowVector(imageGates);
        } else {
            a.addi(imageGates);
        }
        LstmCell next = LstmCell.forward(a, cell, h);
        INDArray logits = product(next.hidden(), p(OUTPUT_WEIGHTS)).addiRowVector(p(OUTPUT_BIAS));
        return new Step(next.hidden(), next.cell(), logits);
    }

    public record Step(INDArray hidden, INDArray cell, INDArray logits) {
    }

    public INDArray zeroState(int rows) {
        return Nd4j.zeros(dataType(), rows, dims.hiddenSize());
    }

    @Override
    public double loss(INDArray features, int[][] sequences) {
        return forward(features, sequences, 0, null, false).loss;
    }

    /**
     * Teacher forcing: each sequence is START w1 .. wn END; at step t the decoder reads token t and is scored
     * on token t+1. Sequences of different lengths are padded, and padded positions are masked out of the
     * loss (mean over real tokens).
     */
    public DecoderGradients lossAndGradients(INDArray features, int[][] sequences, double dropout, Random random) {
        Forward fwd = forward(features, sequences, dropout, random, true);
        return backward(fwd);
    }

    /** As above: an LSTM without attention has no attention term. */
    @Override
    public DecoderGradients lossAndGradients(INDArray features, int[][] sequences, double dropout,
                                             double attentionRegularization, Random random) {
        return lossAndGradients(features, sequences, dropout, random);
    }

    private static final class Forward {
        TeacherForcing batch;
        INDArray imageInput;
        INDArray imageDropMask;
        INDArray inputAll;
        List<INDArray> hPrev = new ArrayList<>();
        List<INDArray> cPrev = new ArrayList<>();
        List<LstmCell> cells = new ArrayList<>();
        INDArray hiddenAll;
        INDArray hiddenDropMask;
        INDArray probabilities;
        double loss;
    }

    private Forward forward(INDArray features, int[][] sequences, double dropout, Random random, boolean keep) {
        int h = dims.hiddenSize();
        DataType type = dataType();
        Forward fwd = new Forward();
        TeacherForcing batch = new TeacherForcing(sequences);
        fwd.batch = batch;
        int n = batch.batch;
        int steps = batch.steps;

        INDArray image = standardize(features);
        if (dropout > 0) {
            fwd.imageDropMask = LstmCell.dropoutMask(random, n, dims.featureSize(), dropout, type);
            image = image.muli(fwd.imageDropMask);
        }
        fwd.imageInput = image;
        INDArray imageGates = product(image, p(IMAGE_WEIGHTS)).addiRowVector(p(GATE_BIAS));
        // teacher forcing: every step's input word is known, so W_x·x_t for all steps is one large product
        fwd.inputAll = Nd4j.pullRows(p(WORD_EMBEDDING), 1, batch.inputs);
        INDArray preActivations = product(fwd.inputAll, p(INPUT_WEIGHTS));

        INDArray hidden = zeroState(n);
        INDArray cell = zeroState(n);
        List<INDArray> hiddens = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            INDArray a = preActivations.get(NDArrayIndex.interval(t * n, (t + 1) * n), NDArrayIndex.all())
                    .addi(imageGates).addi(product(hidden, p(RECURRENT_WEIGHTS)));
            LstmCell next = LstmCell.forward(a, cell, h);
            if (keep) {
                fwd.hPrev.add(hidden);
                fwd.cPrev.add(cell);
                fwd.cells.add(next);
            }
            hiddens.add(next.hidden());
            hidden = next.hidden();
            cell = next.cell();
        }
        INDArray hiddenAll = Nd4j.vstack(hiddens.toArray(INDArray[]::new));
        if (dropout > 0) {
            fwd.hiddenDropMask = LstmCell.dropoutMask(random, steps * n, h, dropout, type);
            hiddenAll = hiddenAll.mul(fwd.hiddenDropMask);
        }
        fwd.hiddenAll = hiddenAll;

        INDArray scores = product(hiddenAll, p(OUTPUT_WEIGHTS)).addiRowVector(p(OUTPUT_BIAS));
        fwd.loss = batch.softmaxCrossEntropy(scores);
        if (keep) {
            fwd.probabilities = scores;
        }
        return fwd;
    }

    private DecoderGradients backward(Forward fwd) {
        int n = fwd.batch.batch;
        int steps = fwd.batch.steps;
        int h = dims.hiddenSize();
        DataType type = dataType();
        Map<String, INDArray> grads = new LinkedHashMap<>();

        INDArray dScores = fwd.batch.scoreGradient(fwd.probabilities);
        grads.put(OUTPUT_WEIGHTS, product(fwd.hiddenAll, true, dScores, false));
        grads.put(OUTPUT_BIAS, dScores.sum(0).reshape(1, dims.vocabularySize()));
        INDArray dHidden = product(dScores, false, p(OUTPUT_WEIGHTS), true);
        if (fwd.hiddenDropMask != null) {
            dHidden.muli(fwd.hiddenDropMask);
        }

        INDArray dGatesAll = Nd4j.create(type, (long) steps * n, 4L * h);
        INDArray dhNext = zeroState(n);
        INDArray dcNext = zeroState(n);
        for (int t = steps - 1; t >= 0; t--) {
            INDArray dh = dHidden.get(NDArrayIndex.interval(t * n, (t + 1) * n), NDArrayIndex.all()).add(dhNext);
            INDArray da = dGatesAll.get(NDArrayIndex.interval(t * n, (t + 1) * n), NDArrayIndex.all());
            dcNext = LstmCell.backward(fwd.cells.get(t), fwd.cPrev.get(t), dh, dcNext, da, h);
            dhNext = product(da, false, p(RECURRENT_WEIGHTS), true);
        }
        INDArray hPrevAll = Nd4j.vstack(fwd.hPrev.toArray(INDArray[]::new));
        grads.put(INPUT_WEIGHTS, product(fwd.inputAll, true, dGatesAll, false));
        grads.put(RECURRENT_WEIGHTS, product(hPrevAll, true, dGatesAll, false));
        // the image term is added at every step, so its gradient is the sum over steps
        INDArray dImageGates = dGatesAll.reshape('c', steps, n, 4L * h).sum(0);
        grads.put(IMAGE_WEIGHTS, product(fwd.imageInput, true, dImageGates, false));
        grads.put(GATE_BIAS, dImageGates.sum(0).reshape(1, 4L * h));
        grads.put(WORD_EMBEDDING, LstmCell.scatterRows(product(dGatesAll, false, p(INPUT_WEIGHTS), true), fwd.batch.inputs,
                dims.vocabularySize(), dims.embeddingSize(), dataType()));

        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (String name : TRAINABLE) {
            ordered.put(name, grads.get(name));
        }
        return new DecoderGradients(fwd.loss, 0, fwd.batch.tokens, ordered);
    }

}
