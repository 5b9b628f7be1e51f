package dev.captioner.language;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.captioner.compute.Workspaces;
import org.nd4j.linalg.api.memory.MemoryWorkspace;

/**
 * What a finished caption says about itself, from the decoder's own next-word distributions along it: the mean
 * log-probability per word (END included), its length in words, the mean entropy (nats) of the distributions it
 * was chosen from, and its least likely word. A confidence calibration is fitted on these.
 *
 * <p>Measured by walking the caption again, teacher-forced from START over its words to END, rather than kept from
 * generation: beam search, greedy decoding and sampling then need not know about them, and every caption, however
 * it was made, is measured the same way.
 */
public record CaptionSignals(double meanLogProbability, int length, double meanEntropy, double minLogProbability) {

    /** The signals in the order of {@link #values()}, as a calibration names them. */
    public static final List<String> NAMES = List.of("meanLogProbability", "length", "meanEntropy",
            "minLogProbability");

    public double[] values() {
        return new double[] {meanLogProbability, length, meanEntropy, minLogProbability};
    }

    /** The values of the named signals, in that order; an unknown name is an {@link IllegalArgumentException}. */
    public double[] values(List<String> names) {
        double[] all = values();
        double[] chosen = new double[names.size()];
        for (int i = 0; i < chosen.length; i++) {
            int index = NAMES.indexOf(names.get(i));
            if (index < 0) {
                throw new IllegalArgumentException("no caption signal is called '" + names.get(i) + "'");
            }
            chosen[i] = all[index];
        }
        return chosen;
    }

    /**
     * The signals of captions of one image's features, in one batched walk through the decoder.
     *
     * @param captions each caption's word ids, without START and END
     */
    public static List<CaptionSignals> measure(CaptionDecoder decoder, float[] features, List<int[]> captions) {
        // decoder states live in this thread's workspace for the call, as in generation; only doubles leave it
        try (MemoryWorkspace ignored = Workspaces.open("captioner-generation")) {
            return walk(decoder.nextWordModel(features), captions);
        }
    }

    /** The captions as rows of one batch: row r is fed START, then its words, and scored on its words and END. */
    public static List<CaptionSignals> walk(NextWordModel model, List<int[]> captions) {
        int rows = captions.size();
        if (rows == 0) {
            return List.of();
        }
        int steps = captions.stream().mapToInt(words -> words.length).max().orElse(0) + 1;
        double[] sum = new double[rows];
        double[] entropy = new double[rows];
        double[] min = new double[rows];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        int[] last = new int[rows];
        Arrays.fill(last, Vocabulary.START_ID);
        NextWordModel.State state = model.initialState(rows);
        for (int t = 0; t < steps; t++) {
            NextWordModel.Step step = model.step(state, last);
            for (int r = 0; r < rows; r++) {
                int[] words = captions.get(r);
                if (t > words.length) {
                    continue;
                }
                int target = t < words.length ? words[t] : Vocabulary.END_ID;
                double[] logProbabilities = step.logProbabilities()[r];
                double logProbability = logProbabilities[target];
                sum[r] += logProbability;
                min[r] = Math.min(min[r], logProbability);
                entropy[r] += entropy(logProbabilities);
                // a finished row goes on being fed END so the batch stays one shape; its steps are not counted
                last[r] = target;
            }
            state = step.state();
        }
        List<CaptionSignals> signals = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            int scoredSteps = captions.get(r).length + 1;
            signals.add(new CaptionSignals(sum[r] / scoredSteps, captions.get(r).length, entropy[r] / scoredSteps,
                    min[r]));
        }
        return signals;
    }

    private static double entropy(double[] logProbabilities) {
        double entropy = 0;
        for (double logProbability : logProbabilities) {
            if (logProbability > Double.NEGATIVE_INFINITY) {
                entropy -= Math.exp(logProbability) * logProbability;
            }
        }
        return entropy;
    }
}
