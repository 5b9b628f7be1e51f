package dev.captioner.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Every word's log-probability and its alternatives come from the distribution of the step that chose it, for the
 * hypothesis's own history. The hand-built model's next word depends only on the previous one, so for word k the
 * right distribution is {@code NEXT[word k-1]} (START for the first).
 */
class TokenLogProbabilitiesTest {

    private static final int A = 4;
    private static final int B = 5;
    private static final int C = 6;
    private static final int D = 7;
    private static final int VOCABULARY = 8;

    private static final double[][] NEXT = new double[VOCABULARY][VOCABULARY];

    static {
        // beam 2 keeps "a" (row 0) and "b" (row 1); at step 2 the best extension, "b c" 0.36, comes from row 1,
        // so the beams are reordered and a word's step is not the row it sits in now
        NEXT[Vocabulary.START_ID][A] = 0.5;
        NEXT[Vocabulary.START_ID][B] = 0.4;
        NEXT[Vocabulary.START_ID][C] = 0.07;
        NEXT[Vocabulary.START_ID][Vocabulary.UNK_ID] = 0.03;
        NEXT[A][Vocabulary.END_ID] = 0.5;
        NEXT[A][C] = 0.3;
        NEXT[A][B] = 0.2;
        NEXT[B][C] = 0.9;
        NEXT[B][Vocabulary.END_ID] = 0.06;
        NEXT[B][D] = 0.04;
        NEXT[C][Vocabulary.END_ID] = 0.7;
        NEXT[C][A] = 0.2;
        NEXT[C][D] = 0.1;
        NEXT[D][Vocabulary.END_ID] = 1.0;
    }

    /** The k most likely generatable words after {@code previous} other than {@code chosen}, as the model has them. */
    private static List<WordChoice> expectedAlternatives(int previous, int chosen, int k) {
        List<WordChoice> all = new ArrayList<>();
        for (int w = 0; w < VOCABULARY; w++) {
            if (w != chosen && CaptionGenerator.generatable(w) && NEXT[previous][w] > 0) {
                all.add(new WordChoice(w, Math.log(NEXT[previous][w])));
            }
        }
        all.sort(Comparator.comparingDouble(WordChoice::logProbability).reversed());
        return all.subList(0, Math.min(k, all.size()));
    }

    private static void assertFollowsTheModel(GeneratedCaption caption, int k) {
        int[] words = caption.words();
        assertThat(caption.wordLogProbabilities()).hasSize(words.length);
        int previous = Vocabulary.START_ID;
        double sum = 0;
        for (int i = 0; i < words.length; i++) {
            assertThat(caption.wordLogProbabilities()[i]).as("word %d", i).isEqualTo(Math.log(NEXT[previous][words[i]]));
            if (k > 0) {
                assertThat(caption.alternatives()[i]).as("alternatives of word %d", i)
                        .containsExactlyElementsOf(expectedAlternatives(previous, words[i], k));
            }
            sum += caption.wordLogProbabilities()[i];
            previous = words[i];
        }
        if (caption.complete()) {
            assertThat(caption.endLogProbability()).isEqualTo(Math.log(NEXT[previous][Vocabulary.END_ID]));
            sum += caption.endLogProbability();
        } else {
            assertThat(caption.endLogProbability()).isNaN();
        }
        assertThat(sum).as("the words' values, then END's, sum to the caption's").isEqualTo(caption.logProbability());
        if (k == 0) {
            assertThat(caption.alternatives()).isNull();
        }
    }

    @Test
    void beamHypothesesKeepTheirOwnStepsThroughReordering() {
        List<GeneratedCaption> captions = CaptionGenerator.beamSearch(new MarkovWordModel(NEXT), 2, 2, 6, Decoding.withAlternatives(3));
        // "b c" 0.4 * 0.9 * 0.7 = 0.252 beats "a" 0.25, though "a" led after the first step
        assertThat(captions.get(0).words()).containsExactly(B, C);
        assertThat(captions.get(1).words()).containsExactly(A);
        captions.forEach(c -> assertFollowsTheModel(c, 3));
        // "b"'s alternatives at the first step: a, then END is impossible there, then c (UNK is never generated)
        assertThat(captions.get(0).alternatives()[0]).extracting(WordChoice::word).containsExactly(A, C);
    }

    @Test
    void cutHypothesesHaveNoEndStep() {
        List<GeneratedCaption> captions = CaptionGenerator.beamSearch(new MarkovWordModel(NEXT), 3, 3, 1, Decoding.withAlternatives(2));
        captions.forEach(c -> assertFollowsTheModel(c, 2));
        assertThat(captions).anySatisfy(c -> assertThat(c.complete()).isFalse());
    }

    @Test
    void greedyAndSamplesGiveTheModelsValuesAtTemperatureOne() {
        assertFollowsTheModel(CaptionGenerator.greedy(new MarkovWordModel(NEXT), 6, Decoding.withAlternatives(2)), 2);
        assertFollowsTheModel(CaptionGenerator.greedy(new MarkovWordModel(NEXT), 1, Decoding.withAlternatives(2)), 2);
        CaptionGenerator.sample(new MarkovWordModel(NEXT), 50, 2.5, 6, new Random(5), Decoding.withAlternatives(10))
                .forEach(c -> assertFollowsTheModel(c, 10));
        CaptionGenerator.sample(new MarkovWordModel(NEXT), 20, 1.0, 2, new Random(6), Decoding.withAlternatives(0))
                .forEach(c -> assertFollowsTheModel(c, 0));
    }

    @Test
    void withoutAlternativesEveryWordStillHasItsLogProbability() {
        CaptionGenerator.beamSearch(new MarkovWordModel(NEXT), 3, 3, 6).forEach(c -> assertFollowsTheModel(c, 0));
        assertFollowsTheModel(CaptionGenerator.greedy(new MarkovWordModel(NEXT), 6), 0);
    }

    @Test
    void bothDecoderKindsGiveEachTokenItsStepsDistribution() {
        Vocabulary vocabulary = Vocabulary.of(List.of("a", "b", "c", "d", "e"));
        float[] mean = new float[6];
        float[] scale = new float[6];
        Arrays.fill(scale, 1f);
        LstmDecoder lstm = LstmDecoder.initialize(new DecoderDimensions(9, 4, 5, 6), mean, scale, 3, DataType.FLOAT);
        assertTokensMatchAReplay(lstm, vocabulary, randomFeatures(6, 1));
        AttentionDecoder attention = AttentionDecoderTest.decoder(DataType.FLOAT, 4);
        assertTokensMatchAReplay(attention, vocabulary, randomFeatures(18, 2));
    }

    private static float[] randomFeatures(int size, long seed) {
        Random random = new Random(seed);
        float[] features = new float[size];
        for (int i = 0; i < size; i++) {
            features[i] = (float) random.nextGaussian();
        }
        return features;
    }

    /** Replays every caption alone through the decoder and checks each token's value and alternatives against it. */
    private static void assertTokensMatchAReplay(CaptionDecoder decoder, Vocabulary vocabulary, float[] features) {
        Captioner captioner = new Captioner(decoder, vocabulary);
        for (CaptionOptions.Mode mode : CaptionOptions.Mode.values()) {
            int n = mode == CaptionOptions.Mode.GREEDY ? 1 : 3;
            List<Captioner.Caption> captions = captioner.captions(features,
                    new CaptionOptions(mode, 4, n, 1.3, 5, 11L, false, 3, LengthPenalty.NONE, false));
            for (Captioner.Caption caption : captions) {
                double[][] replayed = replay(decoder.nextWordModel(features), vocabulary, caption.tokens());
                double sum = 0;
                for (int i = 0; i < caption.tokens().size(); i++) {
                    double[] logProbs = replayed[i];
                    int chosen = vocabulary.id(caption.tokens().get(i));
                    assertThat(caption.tokenLogProbabilities().get(i)).as("%s token %d", mode, i)
                            .isCloseTo(logProbs[chosen], within(1e-4));
                    List<Captioner.Alternative> alternatives = caption.alternatives().get(i);
                    assertThat(alternatives).hasSize(3);
                    assertThat(alternatives).extracting(Captioner.Alternative::word)
                            .doesNotContain(caption.tokens().get(i));
                    for (int j = 0; j < alternatives.size(); j++) {
                        Captioner.Alternative alternative = alternatives.get(j);
                        assertThat(alternative.logProbability()).as("%s token %d alternative %s", mode, i, alternative.word())
                                .isCloseTo(logProbs[vocabulary.id(alternative.word())], within(1e-4));
                        if (j > 0) {
                            assertThat(alternative.logProbability()).isLessThanOrEqualTo(alternatives.get(j - 1).logProbability());
                        }
                    }
                    sum += caption.tokenLogProbabilities().get(i);
                }
                if (caption.complete()) {
                    sum += caption.endLogProbability();
                } else {
                    assertThat(caption.endLogProbability()).isNull();
                }
                assertThat(sum).isEqualTo(caption.logProbability());
            }
        }
    }

    /** The distribution of every step of a caption fed to the model alone, word by word. */
    private static double[][] replay(NextWordModel model, Vocabulary vocabulary, List<String> tokens) {
        double[][] steps = new double[tokens.size()][];
        NextWordModel.State state = model.initialState(1);
        int last = Vocabulary.START_ID;
        for (int i = 0; i < tokens.size(); i++) {
            NextWordModel.Step step = model.step(state, new int[] {last});
            steps[i] = step.logProbabilities()[0];
            state = step.state();
            last = vocabulary.id(tokens.get(i));
        }
        return steps;
    }
}
