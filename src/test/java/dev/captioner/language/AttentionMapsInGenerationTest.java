package dev.captioner.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Each emitted word keeps the attention map of the step that chose it, through beam reordering, greedy decoding
 * and sampling. The hand-built model looks at position (previous word's id) when choosing the next word, and its
 * probabilities depend only on the previous word, so the right map for word k is known: the one-hot map at the
 * id of word k-1 (START for the first word).
 */
class AttentionMapsInGenerationTest {

    private static final int VOCABULARY = 8;
    private static final int POSITIONS = VOCABULARY;

    /** START -> 4 0.5 | 5 0.5; 4 -> 6 0.9; 5 -> 7 0.8; 6 -> 5 0.6 | END 0.4; 7 -> END 1. */
    private static final double[][] NEXT = new double[VOCABULARY][VOCABULARY];

    static {
        NEXT[Vocabulary.START_ID][4] = 0.5;
        NEXT[Vocabulary.START_ID][5] = 0.5;
        NEXT[4][6] = 0.9;
        NEXT[4][Vocabulary.END_ID] = 0.1;
        NEXT[5][7] = 0.8;
        NEXT[5][Vocabulary.END_ID] = 0.2;
        NEXT[6][5] = 0.6;
        NEXT[6][Vocabulary.END_ID] = 0.4;
        NEXT[7][Vocabulary.END_ID] = 1.0;
    }

    private static final class LookingModel implements NextWordModel {
        record Rows(int count) implements State {
            @Override
            public State select(int[] rows) {
                return new Rows(rows.length);
            }
        }

        @Override
        public State initialState(int rows) {
            return new Rows(rows);
        }

        @Override
        public Step step(State state, int[] lastWords) {
            double[][] logProbs = new double[lastWords.length][VOCABULARY];
            float[][] attention = new float[lastWords.length][POSITIONS];
            for (int row = 0; row < lastWords.length; row++) {
                for (int w = 0; w < VOCABULARY; w++) {
                    logProbs[row][w] = Math.log(Math.max(NEXT[lastWords[row]][w], 1e-12));
                }
                attention[row][lastWords[row]] = 1;
            }
            return new Step(new Rows(lastWords.length), logProbs, attention);
        }
    }

    private static void assertMapsFollowTheWords(GeneratedCaption caption) {
        assertThat(caption.attention().length).isEqualTo(caption.words().length);
        int previous = Vocabulary.START_ID;
        for (int k = 0; k < caption.words().length; k++) {
            float[] map = caption.attention()[k];
            assertThat(map[previous]).as("word %d looked where its predecessor %d points", k, previous).isEqualTo(1f);
            previous = caption.words()[k];
        }
    }

    @Test
    void beamsKeepTheirOwnMapsThroughReordering() {
        List<GeneratedCaption> captions = CaptionGenerator.beamSearch(new LookingModel(), 3, 3, 6);
        assertThat(captions).hasSizeGreaterThan(1);
        // the best caption starts with 5 (0.5 * 0.8 = 0.4 beats 0.5 * 0.9 * 0.4 = 0.18), the others with 4
        assertThat(captions.get(0).words()).containsExactly(5, 7);
        captions.forEach(AttentionMapsInGenerationTest::assertMapsFollowTheWords);
    }

    @Test
    void greedyAndSamplesKeepTheirMaps() {
        assertMapsFollowTheWords(CaptionGenerator.greedy(new LookingModel(), 6));
        CaptionGenerator.sample(new LookingModel(), 5, 1.0, 6, new Random(3))
                .forEach(AttentionMapsInGenerationTest::assertMapsFollowTheWords);
    }

    @Test
    void aModelWithoutAttentionGivesNoMaps() {
        NextWordModel plain = new NextWordModel() {
            @Override
            public State initialState(int rows) {
                return new LookingModel().initialState(rows);
            }

            @Override
            public Step step(State state, int[] lastWords) {
                Step step = new LookingModel().step(state, lastWords);
                return new Step(step.state(), step.logProbabilities());
            }
        };
        assertThat(CaptionGenerator.greedy(plain, 6).attention()).isNull();
        assertThat(CaptionGenerator.beamSearch(plain, 3, 2, 6)).allSatisfy(c -> assertThat(c.attention()).isNull());
    }
}
