package dev.captioner.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LstmDecoderTest {

    private static final DecoderDimensions DIMS = new DecoderDimensions(9, 4, 5, 6);

    private static LstmDecoder decoder(DataType type, long seed) {
        float[] mean = new float[DIMS.featureSize()];
        float[] scale = new float[DIMS.featureSize()];
        java.util.Arrays.fill(scale, 1f);
        return LstmDecoder.initialize(DIMS, mean, scale, seed, type);
    }

    private static INDArray features(DataType type, long seed, int rows) {
        Random random = new Random(seed);
        double[] data = new double[rows * DIMS.featureSize()];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextGaussian();
        }
        return Nd4j.create(data, new long[] {rows, DIMS.featureSize()}, DataType.DOUBLE).castTo(type);
    }

    /** Sequences of different lengths so that the padding mask is exercised. */
    private static final int[][] SEQUENCES = {
            {Vocabulary.START_ID, 4, 5, 6, Vocabulary.END_ID},
            {Vocabulary.START_ID, 7, Vocabulary.END_ID},
            {Vocabulary.START_ID, 8, 4, 4, 5, 6, Vocabulary.END_ID},
    };

    @Test
    void analyticGradientsMatchNumericalOnes() {
        LstmDecoder decoder = decoder(DataType.DOUBLE, 7);
        // non-trivial biases so every gate term is exercised
        decoder.parameters().get(LstmDecoder.GATE_BIAS).addi(Nd4j.rand(DataType.DOUBLE, 1, 4L * DIMS.hiddenSize()).subi(0.5));
        INDArray features = features(DataType.DOUBLE, 3, SEQUENCES.length);
        Map<String, INDArray> analytic = decoder.lossAndGradients(features, SEQUENCES, 0, new Random(1)).gradients();

        double epsilon = 1e-6;
        for (String name : LstmDecoder.TRAINABLE) {
            INDArray parameter = decoder.parameters().get(name);
            INDArray gradient = analytic.get(name);
            assertThat(gradient.shape()).as(name).isEqualTo(parameter.shape());
            for (long i = 0; i < parameter.length(); i += Math.max(1, parameter.length() / 40)) {
                double original = parameter.getDouble(i);
                parameter.putScalar(i, original + epsilon);
                double plus = decoder.loss(features, SEQUENCES);
                parameter.putScalar(i, original - epsilon);
                double minus = decoder.loss(features, SEQUENCES);
                parameter.putScalar(i, original);
                double numeric = (plus - minus) / (2 * epsilon);
                double exact = gradient.getDouble(i);
                double scale = Math.max(1e-4, Math.abs(numeric) + Math.abs(exact));
                assertThat(Math.abs(numeric - exact) / scale)
                        .as("%s[%d]: numeric %s vs analytic %s", name, i, numeric, exact)
                        .isLessThan(1e-5);
            }
        }
    }

    @Test
    void lossIgnoresPaddingPositions() {
        LstmDecoder decoder = decoder(DataType.DOUBLE, 5);
        INDArray features = features(DataType.DOUBLE, 4, 2);
        int[][] shortOnly = {{Vocabulary.START_ID, 7, Vocabulary.END_ID}};
        int[][] withLonger = {{Vocabulary.START_ID, 7, Vocabulary.END_ID}, {Vocabulary.START_ID, 4, 5, 6, 7, Vocabulary.END_ID}};
        int[][] longOnly = {{Vocabulary.START_ID, 4, 5, 6, 7, Vocabulary.END_ID}};
        double a = decoder.loss(features.getRow(0, true), shortOnly);
        double b = decoder.loss(features.getRow(1, true), longOnly);
        double both = decoder.loss(features, withLonger);
        // mean over the 2 + 5 real tokens, padding contributes nothing
        assertThat(both).isCloseTo((2 * a + 5 * b) / 7, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theImageChangesTheNextWordDistribution() {
        LstmDecoder decoder = decoder(DataType.FLOAT, 11);
        float[] v1 = features(DataType.FLOAT, 1, 1).toFloatVector();
        float[] v2 = features(DataType.FLOAT, 2, 1).toFloatVector();
        double[] p1 = firstStep(decoder, v1);
        double[] p2 = firstStep(decoder, v2);
        double[] p1Again = firstStep(decoder, v1);
        assertThat(p1Again).containsExactly(p1);
        double difference = 0;
        for (int i = 0; i < p1.length; i++) {
            difference += Math.abs(Math.exp(p1[i]) - Math.exp(p2[i]));
        }
        assertThat(difference).as("total variation between the two images' distributions").isGreaterThan(1e-3);

        // and it is the W_ih·v term doing it: with it zeroed, the image no longer matters
        decoder.parameters().get(LstmDecoder.IMAGE_WEIGHTS).assign(0);
        assertThat(firstStep(decoder, v1)).containsExactly(firstStep(decoder, v2));
    }

    private static double[] firstStep(LstmDecoder decoder, float[] features) {
        LstmNextWordModel model = new LstmNextWordModel(decoder, features);
        return model.step(model.initialState(1), new int[] {Vocabulary.START_ID}).logProbabilities()[0];
    }

    @Test
    void rejectsInconsistentParameters() {
        Map<String, INDArray> parameters = new java.util.LinkedHashMap<>(decoder(DataType.FLOAT, 1).parameters());
        parameters.put(LstmDecoder.OUTPUT_BIAS, Nd4j.zeros(DataType.FLOAT, 1, 3));
        assertThatThrownBy(() -> LstmDecoder.fromParameters(parameters)).hasMessageContaining("outputBias");
        parameters.remove(LstmDecoder.OUTPUT_BIAS);
        assertThatThrownBy(() -> LstmDecoder.fromParameters(parameters)).hasMessageContaining("lack");
    }
}
