package dev.captioner.language;

import java.util.List;
import java.util.Random;

/**
 * Where words come out: a decoder with its vocabulary turns one image's features into captions, as words with
 * their probabilities, by beam search, greedy decoding or sampling. Serving, the {@code caption} command, the
 * validation metrics and the demo's colour test all caption through this.
 */
public final class Captioner {

    /** The beam width of {@link #best}: what NeuralTalk and the COCO papers report single captions with. */
    public static final int BEST_BEAM_SIZE = 3;

    private final LstmDecoder decoder;
    private final Vocabulary vocabulary;

    public Captioner(LstmDecoder decoder, Vocabulary vocabulary) {
        this.decoder = decoder;
        this.vocabulary = vocabulary;
    }

    /** @param text the tokens joined by spaces; {@code complete}: false when the length limit cut it short */
    public record Caption(String text, List<String> tokens, double logProbability, double probability,
                          boolean complete) {
    }

    /** Captions for one image's features, best first, as the options ask. */
    public List<Caption> captions(float[] features, CaptionOptions options) {
        List<GeneratedCaption> generated = LstmNextWordModel.generate(decoder, features, next -> switch (options.mode()) {
            case BEAM -> CaptionGenerator.beamSearch(next, options.beamSize(), options.n(), options.maxLength());
            case GREEDY -> List.of(CaptionGenerator.greedy(next, options.maxLength()));
            case SAMPLE -> CaptionGenerator.sample(next, options.n(), options.temperature(), options.maxLength(),
                    options.seed() == null ? new Random() : new Random(options.seed()));
        });
        return generated.stream().map(this::words).toList();
    }

    /** The single best caption of a beam search of {@link #BEST_BEAM_SIZE}. */
    public Caption best(float[] features, int maxLength) {
        return captions(features, CaptionOptions.best(maxLength)).get(0);
    }

    private Caption words(GeneratedCaption generated) {
        List<String> tokens = vocabulary.decode(generated.words());
        return new Caption(String.join(" ", tokens), tokens, generated.logProbability(), generated.probability(),
                generated.complete());
    }
}
