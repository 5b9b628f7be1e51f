package dev.captioner.language;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.captioner.compute.Workspaces;
import org.nd4j.linalg.api.memory.MemoryWorkspace;

/**
 * Where words come out: a decoder with its vocabulary turns one image's features into captions, as words with
 * their probabilities (and, for an attention decoder, where it looked for each word), by beam search, greedy
 * decoding or sampling. Serving, the {@code caption} command, the validation metrics and the demo's colour test
 * all caption through this.
 */
public final class Captioner {

    /** The beam width of {@link #best}: what NeuralTalk and the COCO papers report single captions with. */
    public static final int BEST_BEAM_SIZE = 3;

    private final CaptionDecoder decoder;
    private final Vocabulary vocabulary;

    public Captioner(CaptionDecoder decoder, Vocabulary vocabulary) {
        this.decoder = decoder;
        this.vocabulary = vocabulary;
    }

    /**
     * @param text                   the tokens joined by spaces; {@code complete}: false when the length limit cut it short
     * @param attention              for each token, its attention weights over the grid (row-major, summing to 1);
     *                               null when the decoder has no attention
     * @param tokenLogProbabilities  for each token, its log-probability at its step (null when not known)
     * @param endLogProbability      the log-probability of END after the last token; null when the length limit
     *                               cut the caption short (then the tokens' values alone sum to logProbability)
     * @param alternatives           for each token, the most likely other words at its step, most likely first
     *                               ({@link Vocabulary#END} for stopping there); null when not asked for
     */
    public record Caption(String text, List<String> tokens, double logProbability, double probability,
                          boolean complete, List<float[]> attention, List<Double> tokenLogProbabilities,
                          Double endLogProbability, List<List<Alternative>> alternatives) {

        public Caption(String text, List<String> tokens, double logProbability, double probability, boolean complete) {
            this(text, tokens, logProbability, probability, complete, null);
        }

        public Caption(String text, List<String> tokens, double logProbability, double probability, boolean complete,
                       List<float[]> attention) {
            this(text, tokens, logProbability, probability, complete, attention, null, null, null);
        }
    }

    /** A word the model also weighed at a step, with its log-probability there. */
    public record Alternative(String word, double logProbability) {
    }

    /** The grid the decoder attends over, or null when it has no attention. */
    public GridShape attentionGrid() {
        return decoder.grid();
    }

    /** Captions for one image's features, best first, as the options ask. */
    public List<Caption> captions(float[] features, CaptionOptions options) {
        // every decoder state lives in this thread's workspace for the call; only plain Java arrays leave it
        List<GeneratedCaption> generated;
        try (MemoryWorkspace ignored = Workspaces.open("captioner-generation")) {
            NextWordModel next = decoder.nextWordModel(features);
            generated = switch (options.mode()) {
                case BEAM -> CaptionGenerator.beamSearch(next, options.beamSize(), options.n(), options.maxLength(),
                        options.decoding());
                case GREEDY -> List.of(CaptionGenerator.greedy(next, options.maxLength(), options.decoding()));
                case SAMPLE -> CaptionGenerator.sample(next, options.n(), options.temperature(), options.maxLength(),
                        options.seed() == null ? new Random() : new Random(options.seed()), options.decoding());
            };
        }
        return generated.stream().map(this::words).toList();
    }

    /** The single best caption of a beam search of {@link #BEST_BEAM_SIZE}. */
    public Caption best(float[] features, int maxLength) {
        return captions(features, CaptionOptions.best(maxLength)).get(0);
    }

    private Caption words(GeneratedCaption generated) {
        List<String> tokens = vocabulary.decode(generated.words());
        List<float[]> attention = null;
        if (decoder.grid() != null) {
            attention = generated.attention() == null ? List.of() : Arrays.asList(generated.attention());
        }
        List<Double> tokenLogProbabilities = generated.wordLogProbabilities() == null ? null
                : Arrays.stream(generated.wordLogProbabilities()).boxed().toList();
        Double endLogProbability = generated.complete() ? generated.endLogProbability() : null;
        List<List<Alternative>> alternatives = generated.alternatives() == null ? null
                : Arrays.stream(generated.alternatives()).map(this::words).toList();
        return new Caption(String.join(" ", tokens), tokens, generated.logProbability(), generated.probability(),
                generated.complete(), attention, tokenLogProbabilities, endLogProbability, alternatives);
    }

    private List<Alternative> words(WordChoice[] choices) {
        return Arrays.stream(choices).map(c -> new Alternative(vocabulary.word(c.word()), c.logProbability())).toList();
    }
}
