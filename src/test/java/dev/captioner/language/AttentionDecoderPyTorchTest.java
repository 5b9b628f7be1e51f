package dev.captioner.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Java decoder against PyTorch's autograd on the same model: {@code attention-reference.json} holds the
 * weights, inputs, loss and every gradient of a tiny case in double precision, written by
 * {@code bench/peer_attention.py --reference} (rerun it there to regenerate; the file is the peer's output, not
 * an expected value written by hand).
 */
class AttentionDecoderPyTorchTest {

    @Test
    void lossAndEveryGradientMatchPyTorch() throws Exception {
        JsonNode reference;
        try (InputStream in = getClass().getResourceAsStream("attention-reference.json")) {
            reference = JsonMapper.builder().build().readTree(in);
        }
        JsonNode sizes = reference.get("sizes");
        int positions = sizes.get("gridSize").asInt();
        int channels = sizes.get("featureSize").asInt();
        Map<String, INDArray> parameters = new LinkedHashMap<>();
        reference.get("weights").properties().forEach(e -> parameters.put(e.getKey(), matrix(e.getValue())));
        parameters.put(AttentionDecoder.FEATURE_MEAN, Nd4j.zeros(DataType.DOUBLE, 1, channels));
        parameters.put(AttentionDecoder.FEATURE_SCALE, Nd4j.ones(DataType.DOUBLE, 1, channels));
        // the reference's L positions as one row of a 1 x L grid (the decoder does not use the grid's geometry)
        parameters.put(AttentionDecoder.GRID_SHAPE, Nd4j.create(new double[] {1, positions}, new long[] {1, 2}));
        AttentionDecoder decoder = AttentionDecoder.fromParameters(parameters);

        JsonNode inputs = reference.get("inputs");
        INDArray features = matrix(inputs.get("features"));
        JsonNode rows = inputs.get("sequences");
        int[][] sequences = new int[rows.size()][];
        for (int b = 0; b < rows.size(); b++) {
            // the reference pads with PAD; the decoder takes unpadded sequences and masks past each one's END
            int length = 0;
            while (length < rows.get(b).size() && rows.get(b).get(length).asInt() != Vocabulary.PAD_ID) {
                length++;
            }
            sequences[b] = new int[length];
            for (int t = 0; t < length; t++) {
                sequences[b][t] = rows.get(b).get(t).asInt();
            }
        }
        double lambda = inputs.get("lambda").asDouble();
        DecoderGradients g = decoder.lossAndGradients(features, sequences, 0, lambda, new Random(1));

        JsonNode outputs = reference.get("outputs");
        assertThat(g.loss()).isCloseTo(outputs.get("crossEntropy").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(g.regularization())
                .isCloseTo(outputs.get("attentionPenalty").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
        outputs.get("gradients").properties().forEach(e -> {
            INDArray expected = matrix(e.getValue());
            INDArray actual = g.gradients().get(e.getKey());
            assertThat(actual.shape()).as(e.getKey()).isEqualTo(expected.shape());
            double error = actual.sub(expected).amaxNumber().doubleValue();
            assertThat(error).as("largest difference in %s", e.getKey())
                    .isLessThan(1e-10 * Math.max(1, expected.amaxNumber().doubleValue()));
        });
        assertThat(g.gradients().keySet()).containsExactlyInAnyOrderElementsOf(
                () -> outputs.get("gradients").propertyNames().iterator());
    }

    private static INDArray matrix(JsonNode rows) {
        double[][] values = new double[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            values[r] = new double[rows.get(r).size()];
            for (int c = 0; c < values[r].length; c++) {
                values[r][c] = rows.get(r).get(c).asDouble();
            }
        }
        return Nd4j.create(values);
    }
}
