package dev.captioner.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AttentionDecoderTest {

    /** V 9, E 4, H 5, a 2x3 grid of 3 channels, attention 5. */
    private static final AttentionDimensions DIMS = new AttentionDimensions(9, 4, 5, 2, 3, 3, 5);

    /** Sequences of different lengths so that the padding mask is exercised. */
    private static final int[][] SEQUENCES = {
            {Vocabulary.START_ID, 4, 5, 6, Vocabulary.END_ID},
            {Vocabulary.START_ID, 7, Vocabulary.END_ID},
            {Vocabulary.START_ID, 8, 4, 4, 5, 6, Vocabulary.END_ID},
    };

    static AttentionDecoder decoder(DataType type, long seed) {
        float[] mean = new float[DIMS.channels()];
        float[] scale = new float[DIMS.channels()];
        Arrays.fill(mean, 0.2f);
        Arrays.fill(scale, 1.5f);
        AttentionDecoder decoder = AttentionDecoder.initialize(DIMS, mean, scale, seed, type);
        // non-trivial biases so that every bias term is exercised
        Random random = new Random(seed + 1);
        for (String name : List.of(AttentionDecoder.GATE_BIAS, AttentionDecoder.ATTENTION_FEATURE_BIAS,
                AttentionDecoder.SELECTOR_BIAS, AttentionDecoder.INIT_HIDDEN_BIAS, AttentionDecoder.INIT_CELL_BIAS,
                AttentionDecoder.OUTPUT_BIAS)) {
            INDArray bias = decoder.parameters().get(name);
            for (long i = 0; i < bias.length(); i++) {
                bias.putScalar(i, bias.getDouble(i) + random.nextGaussian() * 0.5);
            }
        }
        return decoder;
    }

    static INDArray grids(DataType type, long seed, int rows) {
        Random random = new Random(seed);
        double[] data = new double[rows * DIMS.featureSize()];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextGaussian();
        }
        return Nd4j.create(data, new long[] {rows, DIMS.featureSize()}, DataType.DOUBLE).castTo(type);
    }

    @Test
    void analyticGradientsMatchNumericalOnesWithTheAttentionRegularisation() {
        AttentionDecoder decoder = decoder(DataType.DOUBLE, 7);
        INDArray grids = grids(DataType.DOUBLE, 3, SEQUENCES.length);
        double lambda = 0.7;
        DecoderGradients g = decoder.lossAndGradients(grids, SEQUENCES, 0, lambda, new Random(1));
        assertThat(g.regularization()).isPositive();
        assertThat(g.loss() + g.regularization())
                .isCloseTo(decoder.objective(grids, SEQUENCES, lambda), Offset.offset(1e-12));
        List<String> wrong = GradientCheck.mismatches(decoder.parameters(), g.gradients(), AttentionDecoder.TRAINABLE,
                () -> decoder.objective(grids, SEQUENCES, lambda), 30);
        assertThat(wrong).isEmpty();
    }

    @Test
    void theCheckCatchesAWrongGradient() {
        AttentionDecoder decoder = decoder(DataType.DOUBLE, 7);
        INDArray grids = grids(DataType.DOUBLE, 3, SEQUENCES.length);
        Map<String, INDArray> gradients = decoder.lossAndGradients(grids, SEQUENCES, 0, 0.7, new Random(1)).gradients();
        // an error of 1% in one entry of one array, as a dropped term would leave
        INDArray vector = gradients.get(AttentionDecoder.ATTENTION_VECTOR);
        vector.putScalar(2, vector.getDouble(2) * 1.01);
        List<String> wrong = GradientCheck.mismatches(decoder.parameters(), gradients,
                List.of(AttentionDecoder.ATTENTION_VECTOR), () -> decoder.objective(grids, SEQUENCES, 0.7), 30);
        assertThat(wrong).singleElement().asString().startsWith("attentionVector[2]");
    }

    @Test
    void lossIgnoresPaddingPositions() {
        AttentionDecoder decoder = decoder(DataType.DOUBLE, 5);
        INDArray grids = grids(DataType.DOUBLE, 4, 2);
        int[][] shortOnly = {{Vocabulary.START_ID, 7, Vocabulary.END_ID}};
        int[][] longOnly = {{Vocabulary.START_ID, 4, 5, 6, 7, Vocabulary.END_ID}};
        int[][] both = {shortOnly[0], longOnly[0]};
        double a = decoder.loss(grids.getRow(0, true), shortOnly);
        double b = decoder.loss(grids.getRow(1, true), longOnly);
        assertThat(decoder.loss(grids, both)).isCloseTo((2 * a + 5 * b) / 7, Offset.offset(1e-9));
        // and the regularisation counts only real steps: per image, averaged over the batch
        double ra = decoder.objective(grids.getRow(0, true), shortOnly, 1) - a;
        double rb = decoder.objective(grids.getRow(1, true), longOnly, 1) - b;
        double rBoth = decoder.objective(grids, both, 1) - decoder.loss(grids, both);
        assertThat(rBoth).isCloseTo((ra + rb) / 2, Offset.offset(1e-9));
    }

    @Test
    void inferenceStepsAgreeWithTeacherForcing() {
        AttentionDecoder decoder = decoder(DataType.DOUBLE, 9);
        INDArray grid = grids(DataType.DOUBLE, 8, 1);
        int[] sequence = SEQUENCES[2];
        AttentionDecoder.Prepared prepared = decoder.prepare(grid.toFloatVector());
        // generation runs in float features; teacher forcing in double: compare through the same float input
        INDArray floatGrid = Nd4j.create(grid.toFloatVector(), new long[] {1, DIMS.featureSize()}).castTo(DataType.DOUBLE);
        INDArray[] state = prepared.initialState(1);
        double logLikelihood = 0;
        for (int t = 0; t + 1 < sequence.length; t++) {
            AttentionDecoder.Step step = prepared.step(new int[] {sequence[t]}, state[0], state[1]);
            double[] logProbs = LstmNextWordModel.logSoftmax(step.logits().toDoubleMatrix())[0];
            logLikelihood += logProbs[sequence[t + 1]];
            assertThat(step.attention().sumNumber().doubleValue()).isCloseTo(1, Offset.offset(1e-9));
            assertThat(step.attention().minNumber().doubleValue()).isPositive();
            state = new INDArray[] {step.hidden(), step.cell()};
        }
        double meanLoss = decoder.loss(floatGrid, new int[][] {sequence});
        assertThat(-logLikelihood / (sequence.length - 1)).isCloseTo(meanLoss, Offset.offset(1e-9));
    }

    @Test
    void whereItLooksDependsOnTheGridAndMovesTheWords() {
        AttentionDecoder decoder = decoder(DataType.FLOAT, 11);
        float[] grid = grids(DataType.FLOAT, 1, 1).toFloatVector();
        AttentionDecoder.Prepared prepared = decoder.prepare(grid);
        INDArray[] state = prepared.initialState(2);
        AttentionDecoder.Step step = prepared.step(new int[] {Vocabulary.START_ID, 4}, state[0], state[1]);
        assertThat(step.attention().shape()).containsExactly(2, DIMS.positions());
        // swapping two positions' vectors swaps their attention weights (attention is over positions, not order)
        float[] swapped = grid.clone();
        int c = DIMS.channels();
        System.arraycopy(grid, 0, swapped, c, c);
        System.arraycopy(grid, c, swapped, 0, c);
        AttentionDecoder.Prepared other = decoder.prepare(swapped);
        INDArray[] otherState = other.initialState(1);
        INDArray alpha = other.step(new int[] {Vocabulary.START_ID}, otherState[0], otherState[1]).attention();
        assertThat(alpha.getDouble(0, 0)).isCloseTo(step.attention().getDouble(0, 1), Offset.offset(1e-5));
        assertThat(alpha.getDouble(0, 1)).isCloseTo(step.attention().getDouble(0, 0), Offset.offset(1e-5));

        // with the context weights zeroed the grid reaches the words only through h_0 and c_0
        decoder.parameters().get(AttentionDecoder.CONTEXT_WEIGHTS).assign(0);
        decoder.parameters().get(AttentionDecoder.INIT_HIDDEN_WEIGHTS).assign(0);
        decoder.parameters().get(AttentionDecoder.INIT_CELL_WEIGHTS).assign(0);
        AttentionDecoder.Prepared first = decoder.prepare(grid);
        AttentionDecoder.Prepared second = decoder.prepare(grids(DataType.FLOAT, 2, 1).toFloatVector());
        INDArray[] s1 = first.initialState(1);
        INDArray[] s2 = second.initialState(1);
        assertThat(first.step(new int[] {4}, s1[0], s1[1]).logits().toDoubleVector())
                .containsExactly(second.step(new int[] {4}, s2[0], s2[1]).logits().toDoubleVector());
    }

    @Test
    void theFusedFloatAttentionAgreesWithTheReferenceOperations() {
        AttentionDecoder fused = decoder(DataType.FLOAT, 13);
        AttentionDecoder reference = fused.withReferenceAttention();
        INDArray grids = grids(DataType.FLOAT, 6, SEQUENCES.length);
        DecoderGradients a = fused.lossAndGradients(grids, SEQUENCES, 0, 0.7, new Random(1));
        DecoderGradients b = reference.lossAndGradients(grids, SEQUENCES, 0, 0.7, new Random(1));
        assertThat(a.loss()).isCloseTo(b.loss(), Offset.offset(1e-5));
        assertThat(a.regularization()).isCloseTo(b.regularization(), Offset.offset(1e-5));
        for (String name : AttentionDecoder.TRAINABLE) {
            INDArray x = a.gradients().get(name);
            INDArray y = b.gradients().get(name);
            double scale = Math.max(1e-3, y.norm2Number().doubleValue());
            assertThat(x.sub(y).norm2Number().doubleValue() / scale).as(name).isLessThan(1e-4);
        }
        float[] grid = grids.getRow(0).toFloatVector();
        INDArray[] s = fused.prepare(grid).initialState(3);
        AttentionDecoder.Step x = fused.prepare(grid).step(new int[] {Vocabulary.START_ID, 4, 5}, s[0], s[1]);
        AttentionDecoder.Step y = reference.prepare(grid).step(new int[] {Vocabulary.START_ID, 4, 5}, s[0], s[1]);
        assertThat(x.attention().sub(y.attention()).amaxNumber().doubleValue()).isLessThan(1e-5);
        assertThat(x.logits().sub(y.logits()).amaxNumber().doubleValue()).isLessThan(1e-4);
    }

    @Test
    void theRationalTanhIsWithinFloatRoundingOfTheExactOne() {
        double worst = 0;
        for (float v = -12; v <= 12; v += 1e-3f) {
            worst = Math.max(worst, Math.abs(FusedAttentionGrid.tanh(v) - Math.tanh(v)));
        }
        assertThat(worst).isLessThan(5e-7);
        assertThat(FusedAttentionGrid.tanh(1e6f)).isEqualTo(1f);
        assertThat(FusedAttentionGrid.tanh(-1e6f)).isEqualTo(-1f);
        assertThat(FusedAttentionGrid.tanh(0f)).isEqualTo(0f);
    }

    @Test
    void rejectsInconsistentParameters() {
        Map<String, INDArray> parameters = new LinkedHashMap<>(decoder(DataType.FLOAT, 1).parameters());
        assertThat(AttentionDecoder.fromParameters(parameters).dimensions()).isEqualTo(DIMS);
        parameters.put(AttentionDecoder.SELECTOR_BIAS, Nd4j.zeros(DataType.FLOAT, 1, 4));
        assertThatThrownBy(() -> AttentionDecoder.fromParameters(parameters)).hasMessageContaining("gateWeightsBias");
        parameters.remove(AttentionDecoder.SELECTOR_BIAS);
        assertThatThrownBy(() -> AttentionDecoder.fromParameters(parameters)).hasMessageContaining("lack");
        Map<String, INDArray> good = decoder(DataType.FLOAT, 1).parameters();
        assertThatThrownBy(() -> AttentionDecoder.fromParameters(good).loss(Nd4j.zeros(DataType.FLOAT, 1, 5),
                new int[][] {SEQUENCES[1]})).hasMessageContaining("grids of 18 floats");
    }
}
