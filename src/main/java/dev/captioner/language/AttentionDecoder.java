package dev.captioner.language;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.captioner.compute.Matmul.product;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Show, Attend and Tell's soft attention (Xu et al. 2015) over a grid of CNN vectors a_i (VGG16's conv5_3: 14x14
 * positions of 512 channels), feeding an LSTM that says the next word.
 *
 * <p>At each step t, from the previous hidden state h:
 * <pre>
 *   e_ti    = w · tanh(W_a a_i + b_a + W_h h)          scores over the L positions
 *   alpha_t = softmax_i(e_t)                             where it looks, sums to 1
 *   beta_t  = sigmoid(W_b h + b_b)                       a gate per channel: how much it looks at all
 *   z_t     = beta_t * sum_i alpha_ti a_i                the attended vector
 *   gates   = W_x x_t + W_hh h + W_z z_t + b             the lecture's W_ih·v term, with v = z_t
 * </pre>
 * h_0 and c_0 are tanh(W mean_i(a_i) + b). Words come from dropout(h_t) through a softmax over the vocabulary. The
 * training objective is the mean cross-entropy plus the doubly stochastic term
 * {@code lambda / batch * sum_b sum_i (1 - sum_t alpha_bti)^2}, which asks every position to be looked at about as
 * much over a caption. The grid is standardised per channel with the training set's mean and scale, as fc7 is per
 * dimension. W_a a_i + b_a is computed once per image, not once per step.
 *
 * <p>Forward and backward are written out by hand, like {@link LstmDecoder}'s, rather than built with SameDiff. A
 * SameDiff version was not built and timed: the hand-written pass was measured instead against the PyTorch peer
 * ({@code bench/peer_attention.py}, BENCHMARKS.md), and it leaves the time where it must go: the large products
 * (attention projection, output layer, every weight gradient) run as single matrix products over all positions or
 * all steps, and the per-step [batch, L, A] activations go through {@link FusedAttentionGrid}'s one-pass loops,
 * recomputed in the backward pass rather than kept (17 steps x 40 MB at the benchmark sizes). It is checked
 * against numerical gradients and against PyTorch's autograd (to 1e-10) in the tests. Gate order as in
 * LstmDecoder: input, forget, output, candidate.
 */
public final class AttentionDecoder implements CaptionDecoder {

    public static final String WORD_EMBEDDING = "wordEmbedding";
    public static final String INPUT_WEIGHTS = "inputWeights";
    public static final String RECURRENT_WEIGHTS = "recurrentWeights";
    public static final String CONTEXT_WEIGHTS = "contextWeights";
    public static final String GATE_BIAS = "gateBias";
    public static final String OUTPUT_WEIGHTS = "outputWeights";
    public static final String OUTPUT_BIAS = "outputBias";
    public static final String ATTENTION_FEATURE_WEIGHTS = "attentionFeatureWeights";
    public static final String ATTENTION_FEATURE_BIAS = "attentionFeatureBias";
    public static final String ATTENTION_HIDDEN_WEIGHTS = "attentionHiddenWeights";
    public static final String ATTENTION_VECTOR = "attentionVector";
    public static final String SELECTOR_WEIGHTS = "gateWeights";
    public static final String SELECTOR_BIAS = "gateWeightsBias";
    public static final String INIT_HIDDEN_WEIGHTS = "initHiddenWeights";
    public static final String INIT_HIDDEN_BIAS = "initHiddenBias";
    public static final String INIT_CELL_WEIGHTS = "initCellWeights";
    public static final String INIT_CELL_BIAS = "initCellBias";
    public static final String FEATURE_MEAN = "featureMean";
    public static final String FEATURE_SCALE = "featureScale";
    /** [1, 2]: the grid's rows and columns, kept with the weights so that a stored decoder is self-describing. */
    public static final String GRID_SHAPE = "gridShape";
    public static final List<String> TRAINABLE = List.of(WORD_EMBEDDING, INPUT_WEIGHTS, RECURRENT_WEIGHTS,
            CONTEXT_WEIGHTS, GATE_BIAS, OUTPUT_WEIGHTS, OUTPUT_BIAS, ATTENTION_FEATURE_WEIGHTS, ATTENTION_FEATURE_BIAS,
            ATTENTION_HIDDEN_WEIGHTS, ATTENTION_VECTOR, SELECTOR_WEIGHTS, SELECTOR_BIAS, INIT_HIDDEN_WEIGHTS,
            INIT_HIDDEN_BIAS, INIT_CELL_WEIGHTS, INIT_CELL_BIAS);
    /** The weight matrices (weight decay applies to these, not to biases or embeddings). */
    public static final List<String> WEIGHT_MATRICES = List.of(INPUT_WEIGHTS, RECURRENT_WEIGHTS, CONTEXT_WEIGHTS,
            OUTPUT_WEIGHTS, ATTENTION_FEATURE_WEIGHTS, ATTENTION_HIDDEN_WEIGHTS, SELECTOR_WEIGHTS, INIT_HIDDEN_WEIGHTS,
            INIT_CELL_WEIGHTS);

    private final AttentionDimensions dims;
    private final Map<String, INDArray> params;
    private boolean fusedAttention = true;

    private AttentionDecoder(AttentionDimensions dims, Map<String, INDArray> params) {
        this.dims = dims;
        this.params = params;
    }

    /**
     * Fresh weights.
     *
     * @param channelMean  per-channel mean of the training grids, C values
     * @param channelScale per-channel inverse standard deviation, C values
     */
    public static AttentionDecoder initialize(AttentionDimensions dims, float[] channelMean, float[] channelScale,
                                              long seed, DataType type) {
        int v = dims.vocabularySize();
        int e = dims.embeddingSize();
        int h = dims.hiddenSize();
        int c = dims.channels();
        int a = dims.attentionSize();
        Random random = new Random(seed);
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put(WORD_EMBEDDING, LstmCell.gaussian(random, v, e, 0.1, type));
        p.put(INPUT_WEIGHTS, LstmCell.gaussian(random, e, 4 * h, 1 / Math.sqrt(e), type));
        p.put(RECURRENT_WEIGHTS, LstmCell.gaussian(random, h, 4 * h, 1 / Math.sqrt(h), type));
        p.put(CONTEXT_WEIGHTS, LstmCell.gaussian(random, c, 4 * h, 1 / Math.sqrt(c), type));
        INDArray bias = Nd4j.zeros(type, 1, 4 * h);
        // forget-gate bias 1: remember by default, the usual remedy for vanishing early gradients
        LstmCell.gate(bias, 1, h).assign(1.0);
        p.put(GATE_BIAS, bias);
        p.put(OUTPUT_WEIGHTS, LstmCell.gaussian(random, h, v, 1 / Math.sqrt(h), type));
        p.put(OUTPUT_BIAS, Nd4j.zeros(type, 1, v));
        p.put(ATTENTION_FEATURE_WEIGHTS, LstmCell.gaussian(random, c, a, 1 / Math.sqrt(c), type));
        p.put(ATTENTION_FEATURE_BIAS, Nd4j.zeros(type, 1, a));
        p.put(ATTENTION_HIDDEN_WEIGHTS, LstmCell.gaussian(random, h, a, 1 / Math.sqrt(h), type));
        p.put(ATTENTION_VECTOR, LstmCell.gaussian(random, a, 1, 1 / Math.sqrt(a), type));
        p.put(SELECTOR_WEIGHTS, LstmCell.gaussian(random, h, c, 1 / Math.sqrt(h), type));
        // selector bias 1: the gate starts mostly open (sigmoid(1) = 0.73), so the context is heard from the start
        p.put(SELECTOR_BIAS, Nd4j.ones(type, 1, c));
        p.put(INIT_HIDDEN_WEIGHTS, LstmCell.gaussian(random, c, h, 1 / Math.sqrt(c), type));
        p.put(INIT_HIDDEN_BIAS, Nd4j.zeros(type, 1, h));
        p.put(INIT_CELL_WEIGHTS, LstmCell.gaussian(random, c, h, 1 / Math.sqrt(c), type));
        p.put(INIT_CELL_BIAS, Nd4j.zeros(type, 1, h));
        p.put(FEATURE_MEAN, Nd4j.create(channelMean, new long[] {1, c}).castTo(type));
        p.put(FEATURE_SCALE, Nd4j.create(channelScale, new long[] {1, c}).castTo(type));
        p.put(GRID_SHAPE, Nd4j.create(new float[] {dims.gridRows(), dims.gridColumns()}, new long[] {1, 2}).castTo(type));
        return new AttentionDecoder(dims, p);
    }

    /** Rebuilds a decoder from stored parameters, checking that every array is present and consistent. */
    public static AttentionDecoder fromParameters(Map<String, INDArray> stored) {
        List<String> names = new ArrayList<>(TRAINABLE);
        names.addAll(List.of(FEATURE_MEAN, FEATURE_SCALE, GRID_SHAPE));
        for (String name : names) {
            if (!stored.containsKey(name)) {
                throw new IllegalArgumentException("attention decoder parameters lack '" + name + "'");
            }
        }
        INDArray grid = stored.get(GRID_SHAPE);
        if (grid.length() != 2 || grid.getDouble(0) != Math.rint(grid.getDouble(0)) || grid.getDouble(0) < 1
                || grid.getDouble(1) != Math.rint(grid.getDouble(1)) || grid.getDouble(1) < 1 || grid.getDouble(0) > 1024
                || grid.getDouble(1) > 1024) {
            throw new IllegalArgumentException("attention decoder parameter 'gridShape' is not a rows x columns pair");
        }
        int gridRows = (int) grid.getDouble(0);
        int gridColumns = (int) grid.getDouble(1);
        long[] embedding = stored.get(WORD_EMBEDDING).shape();
        long[] attention = stored.get(ATTENTION_FEATURE_WEIGHTS).shape();
        AttentionDimensions dims = new AttentionDimensions((int) embedding[0], (int) embedding[1],
                (int) stored.get(RECURRENT_WEIGHTS).shape()[0], gridRows, gridColumns, (int) attention[0],
                (int) attention[1]);
        AttentionDecoder decoder = new AttentionDecoder(dims, new LinkedHashMap<>(stored));
        decoder.checkShapes();
        return decoder;
    }

    private void checkShapes() {
        long v = dims.vocabularySize();
        long e = dims.embeddingSize();
        long h = dims.hiddenSize();
        long c = dims.channels();
        long a = dims.attentionSize();
        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put(WORD_EMBEDDING, new long[] {v, e});
        expected.put(INPUT_WEIGHTS, new long[] {e, 4 * h});
        expected.put(RECURRENT_WEIGHTS, new long[] {h, 4 * h});
        expected.put(CONTEXT_WEIGHTS, new long[] {c, 4 * h});
        expected.put(GATE_BIAS, new long[] {1, 4 * h});
        expected.put(OUTPUT_WEIGHTS, new long[] {h, v});
        expected.put(OUTPUT_BIAS, new long[] {1, v});
        expected.put(ATTENTION_FEATURE_WEIGHTS, new long[] {c, a});
        expected.put(ATTENTION_FEATURE_BIAS, new long[] {1, a});
        expected.put(ATTENTION_HIDDEN_WEIGHTS, new long[] {h, a});
        expected.put(ATTENTION_VECTOR, new long[] {a, 1});
        expected.put(SELECTOR_WEIGHTS, new long[] {h, c});
        expected.put(SELECTOR_BIAS, new long[] {1, c});
        expected.put(INIT_HIDDEN_WEIGHTS, new long[] {c, h});
        expected.put(INIT_HIDDEN_BIAS, new long[] {1, h});
        expected.put(INIT_CELL_WEIGHTS, new long[] {c, h});
        expected.put(INIT_CELL_BIAS, new long[] {1, h});
        expected.put(FEATURE_MEAN, new long[] {1, c});
        expected.put(FEATURE_SCALE, new long[] {1, c});
        expected.put(GRID_SHAPE, new long[] {1, 2});
        LstmCell.requireShapes(params, expected, "attention decoder");
    }

    public AttentionDimensions dimensions() {
        return dims;
    }

    @Override
    public String kind() {
        return ATTENTION;
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
        return new GridShape(dims.gridRows(), dims.gridColumns(), dims.channels());
    }

    @Override
    public List<String> trainable() {
        return TRAINABLE;
    }

    @Override
    public List<String> weightMatrices() {
        return WEIGHT_MATRICES;
    }

    @Override
    public NextWordModel nextWordModel(float[] features) {
        return new AttentionNextWordModel(this, features);
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
    public AttentionDecoder copy() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        params.forEach((name, array) -> p.put(name, array.dup()));
        return new AttentionDecoder(dims, p);
    }

    private INDArray p(String name) {
        return params.get(name);
    }

    /** Grids [n, L*C] -> standardised positions [n*L, C]. */
    private INDArray standardize(INDArray grids) {
        long n = grids.size(0);
        if (grids.size(1) != dims.featureSize()) {
            throw new IllegalArgumentException("attention decoder expects grids of " + dims.featureSize()
                    + " floats (" + dims.gridRows() + "x" + dims.gridColumns() + "x" + dims.channels() + "), got "
                    + grids.size(1));
        }
        return grids.castTo(dataType()).dup('c').reshape('c', n * dims.positions(), dims.channels())
                .subiRowVector(p(FEATURE_MEAN)).muliRowVector(p(FEATURE_SCALE));
    }

    /** What is fixed per image: its standardised grid, the attention projection of it, and the initial state. */
    private record Images(INDArray positions, INDArray projected, INDArray mean, INDArray hidden0, INDArray cell0) {
    }

    /**
     * @param grids [n, L*C]
     * @return positions [n*L, C]; projected W_a a + b_a as [n, L, A]; mean [n, C]; h_0, c_0 [n, H]
     */
    private Images images(INDArray grids) {
        int n = (int) grids.size(0);
        int l = dims.positions();
        INDArray positions = standardize(grids);
        INDArray projected = product(positions, p(ATTENTION_FEATURE_WEIGHTS)).addiRowVector(p(ATTENTION_FEATURE_BIAS))
                .reshape('c', n, l, dims.attentionSize());
        INDArray mean = positions.reshape('c', n, l, dims.channels()).mean(1);
        INDArray hidden0 = Transforms.tanh(product(mean, p(INIT_HIDDEN_WEIGHTS)).addiRowVector(p(INIT_HIDDEN_BIAS)), false);
        INDArray cell0 = Transforms.tanh(product(mean, p(INIT_CELL_WEIGHTS)).addiRowVector(p(INIT_CELL_BIAS)), false);
        return new Images(positions, projected, mean, hidden0, cell0);
    }

    /** The attention core for these images: fused float loops, or libnd4j operations (double, or when asked). */
    private AttentionGrid attentionGrid(INDArray positions, INDArray projected) {
        return fusedAttention && dataType() == DataType.FLOAT
                ? new FusedAttentionGrid(positions, projected, p(ATTENTION_VECTOR))
                : new Nd4jAttentionGrid(positions, projected, p(ATTENTION_VECTOR));
    }

    /** alpha = softmax over positions of the scores for these hidden states: [rows, L]. */
    private static INDArray attentionWeights(AttentionGrid grid, INDArray hiddenTerm) {
        INDArray scores = grid.scores(hiddenTerm);
        Nd4j.exec((CustomOp) new SoftMax(scores, scores, 1));
        return scores;
    }

    /** The same decoder (same arrays) with its attention run by libnd4j operations: the reference, for tests. */
    AttentionDecoder withReferenceAttention() {
        AttentionDecoder reference = new AttentionDecoder(dims, params);
        reference.fusedAttention = false;
        return reference;
    }

    // ---------------------------------------------------------------- inference

    /** One image prepared for generation: its attention projection and initial state, computed once. */
    public final class Prepared {
        private final AttentionGrid grid;
        private final INDArray hidden0;    // [1, H]
        private final INDArray cell0;      // [1, H]

        private Prepared(float[] features) {
            Images images = images(Nd4j.create(features, new long[] {1, features.length}));
            grid = attentionGrid(images.positions(), images.projected());
            hidden0 = images.hidden0();
            cell0 = images.cell0();
        }

        /** h_0 and c_0 repeated for {@code rows} rows (beams or samples). */
        public INDArray[] initialState(int rows) {
            return new INDArray[] {hidden0.repeat(0, rows), cell0.repeat(0, rows)};
        }

        /** One step for a batch of rows of this image: the next state, the logits and where each row looked. */
        public Step step(int[] tokens, INDArray hidden, INDArray cell) {
            int h = dims.hiddenSize();
            INDArray alpha = attentionWeights(grid, product(hidden, p(ATTENTION_HIDDEN_WEIGHTS)));  // [rows, L]
            INDArray context = grid.context(alpha);                                                // [rows, C]
            INDArray selector = Transforms.sigmoid(product(hidden, p(SELECTOR_WEIGHTS)).addiRowVector(p(SELECTOR_BIAS)), false);
            INDArray attended = context.muli(selector);
            INDArray x = Nd4j.pullRows(p(WORD_EMBEDDING), 1, tokens);
            INDArray a = product(x, p(INPUT_WEIGHTS)).addi(product(hidden, p(RECURRENT_WEIGHTS)))
                    .addi(product(attended, p(CONTEXT_WEIGHTS))).addiRowVector(p(GATE_BIAS));
            LstmCell next = LstmCell.forward(a, cell, h);
            INDArray logits = product(next.hidden(), p(OUTPUT_WEIGHTS)).addiRowVector(p(OUTPUT_BIAS));
            return new Step(next.hidden(), next.cell(), logits, alpha);
        }
    }

    public Prepared prepare(float[] grid) {
        return new Prepared(grid);
    }

    /** @param attention [rows, L]: each row's attention weights over the grid at this step */
    public record Step(INDArray hidden, INDArray cell, INDArray logits, INDArray attention) {
    }

    // ---------------------------------------------------------------- training

    /** Mean cross-entropy per predicted token, without dropout, regularisation or gradients (validation loss). */
    @Override
    public double loss(INDArray grids, int[][] sequences) {
        return forward(grids, sequences, 0, 0, null, false).crossEntropy;
    }

    /** Cross-entropy plus the attention regularisation: what {@link #lossAndGradients} differentiates. */
    public double objective(INDArray grids, int[][] sequences, double attentionRegularization) {
        Forward fwd = forward(grids, sequences, 0, attentionRegularization, null, false);
        return fwd.crossEntropy + fwd.regularization;
    }

    /**
     * Teacher forcing over a batch of grids [n, L*C] and token sequences (START w1 .. wn END, padded positions
     * masked out).
     *
     * @param attentionRegularization lambda of the doubly stochastic term
     */
    @Override
    public DecoderGradients lossAndGradients(INDArray grids, int[][] sequences, double dropout,
                                             double attentionRegularization, Random random) {
        return backward(forward(grids, sequences, dropout, attentionRegularization, random, true));
    }

    private static final class Forward {
        TeacherForcing batch;
        double lambda;
        Images images;
        AttentionGrid grid;
        INDArray inputAll;            // [T*n, E]
        final List<INDArray> hPrev = new ArrayList<>();
        final List<INDArray> cPrev = new ArrayList<>();
        final List<LstmCell> cells = new ArrayList<>();
        final List<INDArray> hiddenTerms = new ArrayList<>();  // W_h h [n, A] per step
        final List<INDArray> alphas = new ArrayList<>();     // [n, L] per step
        final List<INDArray> contexts = new ArrayList<>();   // [n, C] per step, before the selector
        final List<INDArray> selectors = new ArrayList<>();  // [n, C] per step
        final List<INDArray> stepMasks = new ArrayList<>();  // [n, 1] per step
        INDArray attendedAll;         // [T*n, C]
        INDArray attentionTotals;     // [n, L]: sum over real steps of alpha
        INDArray hiddenAll;           // [T*n, H], after dropout
        INDArray hiddenDropMask;
        INDArray probabilities;       // [T*n, V]
        double crossEntropy;
        double regularization;
    }

    private Forward forward(INDArray grids, int[][] sequences, double dropout, double lambda, Random random,
                            boolean keep) {
        int h = dims.hiddenSize();
        int l = dims.positions();
        int c = dims.channels();
        DataType type = dataType();
        TeacherForcing batch = new TeacherForcing(sequences);
        if (grids.size(0) != batch.batch) {
            throw new IllegalArgumentException(grids.size(0) + " grids for " + batch.batch + " sequences");
        }
        int n = batch.batch;
        int steps = batch.steps;
        Forward fwd = new Forward();
        fwd.batch = batch;
        fwd.lambda = lambda;
        Images images = images(grids);
        fwd.images = images;
        AttentionGrid grid = attentionGrid(images.positions(), images.projected());
        fwd.grid = grid;
        // teacher forcing: every step's input word is known, so W_x·x_t for all steps is one large product
        fwd.inputAll = Nd4j.pullRows(p(WORD_EMBEDDING), 1, batch.inputs);
        INDArray inputGates = product(fwd.inputAll, p(INPUT_WEIGHTS)).addiRowVector(p(GATE_BIAS));

        INDArray hidden = images.hidden0();
        INDArray cell = images.cell0();
        INDArray totals = Nd4j.zeros(type, n, l);
        List<INDArray> hiddens = new ArrayList<>(steps);
        List<INDArray> attendeds = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            INDArray hiddenTerm = product(hidden, p(ATTENTION_HIDDEN_WEIGHTS));                  // [n, A]
            INDArray alpha = attentionWeights(grid, hiddenTerm);                                  // [n, L]
            INDArray context = grid.context(alpha);                                               // [n, C]
            INDArray selector = Transforms.sigmoid(product(hidden, p(SELECTOR_WEIGHTS)).addiRowVector(p(SELECTOR_BIAS)), false);
            INDArray attended = context.mul(selector);
            INDArray a = inputGates.get(NDArrayIndex.interval(t * n, (t + 1) * n), NDArrayIndex.all())
                    .add(product(hidden, p(RECURRENT_WEIGHTS))).addi(product(attended, p(CONTEXT_WEIGHTS)));
            LstmCell next = LstmCell.forward(a, cell, h);
            INDArray mask = batch.stepMask(t, type);
            totals.addi(alpha.mulColumnVector(mask));
            if (keep) {
                fwd.hiddenTerms.add(hiddenTerm);
                fwd.hPrev.add(hidden);
                fwd.cPrev.add(cell);
                fwd.cells.add(next);
                fwd.alphas.add(alpha);
                fwd.contexts.add(context);
                fwd.selectors.add(selector);
                fwd.stepMasks.add(mask);
            }
            attendeds.add(attended);
            hiddens.add(next.hidden());
            hidden = next.hidden();
            cell = next.cell();
        }
        fwd.attentionTotals = totals;
        INDArray shortfall = totals.rsub(1);
        fwd.regularization = lambda * shortfall.mul(shortfall).sumNumber().doubleValue() / n;

        INDArray hiddenAll = Nd4j.vstack(hiddens.toArray(INDArray[]::new));
        if (dropout > 0) {
            fwd.hiddenDropMask = LstmCell.dropoutMask(random, steps * n, h, dropout, type);
            hiddenAll = hiddenAll.mul(fwd.hiddenDropMask);
        }
        fwd.hiddenAll = hiddenAll;
        if (keep) {
            fwd.attendedAll = Nd4j.vstack(attendeds.toArray(INDArray[]::new));
        }
        INDArray scores = product(hiddenAll, p(OUTPUT_WEIGHTS)).addiRowVector(p(OUTPUT_BIAS));
        fwd.crossEntropy = batch.softmaxCrossEntropy(scores);
        if (keep) {
            fwd.probabilities = scores;
        }
        return fwd;
    }

    private DecoderGradients backward(Forward fwd) {
        TeacherForcing batch = fwd.batch;
        int n = batch.batch;
        int steps = batch.steps;
        int h = dims.hiddenSize();
        int l = dims.positions();
        int c = dims.channels();
        int att = dims.attentionSize();
        DataType type = dataType();
        Images images = fwd.images;
        AttentionGrid grid = fwd.grid;
        Map<String, INDArray> grads = new LinkedHashMap<>();

        INDArray dScores = batch.scoreGradient(fwd.probabilities);
        grads.put(OUTPUT_WEIGHTS, product(fwd.hiddenAll, true, dScores, false));
        grads.put(OUTPUT_BIAS, dScores.sum(0).reshape(1, dims.vocabularySize()));
        INDArray dHidden = product(dScores, false, p(OUTPUT_WEIGHTS), true);
        if (fwd.hiddenDropMask != null) {
            dHidden.muli(fwd.hiddenDropMask);
        }

        // d(lambda/n sum (1 - total_bi)^2)/d(alpha_tbi) = -2 lambda/n (1 - total_bi), on real steps
        INDArray dAlphaFromTotals = fwd.attentionTotals.rsub(1).muli(-2 * fwd.lambda / n);
        INDArray dGatesAll = Nd4j.create(type, (long) steps * n, 4L * h);
        INDArray dSelectorPreAll = Nd4j.create(type, (long) steps * n, c);
        INDArray dHiddenTermAll = Nd4j.create(type, (long) steps * n, att);
        INDArray dhNext = Nd4j.zeros(type, n, h);
        INDArray dcNext = Nd4j.zeros(type, n, h);
        for (int t = steps - 1; t >= 0; t--) {
            INDArrayIndex rowsOfStep = NDArrayIndex.interval(t * n, (t + 1) * n);
            INDArray dh = dHidden.get(rowsOfStep, NDArrayIndex.all()).add(dhNext);
            INDArray da = dGatesAll.get(rowsOfStep, NDArrayIndex.all());
            dcNext = LstmCell.backward(fwd.cells.get(t), fwd.cPrev.get(t), dh, dcNext, da, h);
            INDArray dhPrev = product(da, false, p(RECURRENT_WEIGHTS), true);

            // z = selector * context
            INDArray dAttended = product(da, false, p(CONTEXT_WEIGHTS), true);         // [n, C]
            INDArray selector = fwd.selectors.get(t);
            INDArray dSelectorPre = dAttended.mul(fwd.contexts.get(t)).muli(selector.mul(selector.rsub(1)));
            dSelectorPreAll.get(rowsOfStep, NDArrayIndex.all()).assign(dSelectorPre);
            dhPrev.addi(product(dSelectorPre, false, p(SELECTOR_WEIGHTS), true));
            INDArray dContext = dAttended.muli(selector);

            INDArray alpha = fwd.alphas.get(t);
            INDArray dAlpha = grid.alphaGradient(dContext).addi(dAlphaFromTotals.mulColumnVector(fwd.stepMasks.get(t)));
            // softmax: de = alpha * (dalpha - sum_i alpha_i dalpha_i)
            INDArray dScore = dAlpha.subiColumnVector(alpha.mul(dAlpha).sum(true, 1)).muli(alpha);
            INDArray dHiddenTerm = grid.scoreBackward(fwd.hiddenTerms.get(t), dScore);             // [n, A]
            dHiddenTermAll.get(rowsOfStep, NDArrayIndex.all()).assign(dHiddenTerm);
            dhPrev.addi(product(dHiddenTerm, false, p(ATTENTION_HIDDEN_WEIGHTS), true));
            dhNext = dhPrev;
        }
        INDArray hPrevAll = Nd4j.vstack(fwd.hPrev.toArray(INDArray[]::new));
        grads.put(WORD_EMBEDDING, LstmCell.scatterRows(product(dGatesAll, false, p(INPUT_WEIGHTS), true), batch.inputs,
                dims.vocabularySize(), dims.embeddingSize(), type));
        grads.put(INPUT_WEIGHTS, product(fwd.inputAll, true, dGatesAll, false));
        grads.put(RECURRENT_WEIGHTS, product(hPrevAll, true, dGatesAll, false));
        grads.put(CONTEXT_WEIGHTS, product(fwd.attendedAll, true, dGatesAll, false));
        grads.put(GATE_BIAS, dGatesAll.sum(true, 0));
        grads.put(SELECTOR_WEIGHTS, product(hPrevAll, true, dSelectorPreAll, false));
        grads.put(SELECTOR_BIAS, dSelectorPreAll.sum(true, 0));
        grads.put(ATTENTION_HIDDEN_WEIGHTS, product(hPrevAll, true, dHiddenTermAll, false));
        INDArray dProjectedFlat = grid.projectedGradient().castTo(type);
        grads.put(ATTENTION_FEATURE_WEIGHTS, product(images.positions(), true, dProjectedFlat, false));
        grads.put(ATTENTION_FEATURE_BIAS, dProjectedFlat.sum(true, 0));
        grads.put(ATTENTION_VECTOR, grid.vectorGradient().castTo(type));
        // h_0 = tanh(W mean + b), c_0 likewise
        INDArray dHidden0 = dhNext.muli(images.hidden0().mul(images.hidden0()).rsubi(1));
        INDArray dCell0 = dcNext.muli(images.cell0().mul(images.cell0()).rsubi(1));
        grads.put(INIT_HIDDEN_WEIGHTS, product(images.mean(), true, dHidden0, false));
        grads.put(INIT_HIDDEN_BIAS, dHidden0.sum(true, 0));
        grads.put(INIT_CELL_WEIGHTS, product(images.mean(), true, dCell0, false));
        grads.put(INIT_CELL_BIAS, dCell0.sum(true, 0));

        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (String name : TRAINABLE) {
            ordered.put(name, grads.get(name));
        }
        return new DecoderGradients(fwd.crossEntropy, fwd.regularization, batch.tokens, ordered);
    }
}
