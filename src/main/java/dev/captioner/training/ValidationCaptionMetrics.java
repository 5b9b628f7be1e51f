package dev.captioner.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.captioner.evaluation.CaptionEvaluator;
import dev.captioner.language.Captioner;
import dev.captioner.language.CaptionDecoder;
import dev.captioner.language.Vocabulary;

/**
 * BLEU-1..4, ROUGE-L and CIDEr-D of the decoder's beam-search captions (beam 3) of the validation images,
 * scored by the same code as the {@code evaluate} command, i.e. as the COCO toolkit scores them.
 */
public final class ValidationCaptionMetrics implements DecoderTrainer.ValidationMetrics {

    private final Vocabulary vocabulary;
    private final float[][] features;
    private final Map<String, List<String>> references;
    private final int maxLength;
    private final BooleanSupplier cancelled;
    private final CaptionEvaluator evaluator = new CaptionEvaluator();

    /** @param features and {@code references}: one entry per validation image, in the same order */
    public ValidationCaptionMetrics(Vocabulary vocabulary, float[][] features, List<List<String>> references,
                                    int maxLength) {
        this(vocabulary, features, references, maxLength, () -> false);
    }

    /**
     * @param cancelled polled before each image (thousands of beam searches take minutes): when true, scoring
     *                  stops with {@link TrainingCancelledException}
     */
    public ValidationCaptionMetrics(Vocabulary vocabulary, float[][] features, List<List<String>> references,
                                    int maxLength, BooleanSupplier cancelled) {
        this.cancelled = cancelled;
        this.vocabulary = vocabulary;
        this.features = features;
        this.maxLength = maxLength;
        this.references = new LinkedHashMap<>();
        for (int i = 0; i < references.size(); i++) {
            if (features[i] != null) {
                this.references.put(String.valueOf(i), references.get(i));
            }
        }
    }

    /**
     * The corpus scores and how many of the captions came out empty (a decoder that ends every caption at
     * once scores zero without saying why).
     *
     * @param perImage by validation index, in order: the image's caption and its CIDEr-D, document frequencies
     *                 from all the images scored (as the corpus figure has them)
     */
    public record Evaluation(Map<String, Double> metrics, int captions, int emptyCaptions,
                             Map<Integer, ScoredCaption> perImage) {
    }

    public record ScoredCaption(Captioner.Caption caption, double ciderD) {
    }

    @Override
    public Map<String, Double> score(CaptionDecoder decoder) {
        return evaluate(decoder).metrics();
    }

    public Evaluation evaluate(CaptionDecoder decoder) {
        Map<String, String> candidates = new LinkedHashMap<>();
        Map<String, Captioner.Caption> captions = new LinkedHashMap<>();
        Captioner captioner = new Captioner(decoder, vocabulary);
        for (String id : references.keySet()) {
            if (cancelled.getAsBoolean()) {
                throw new TrainingCancelledException();
            }
            Captioner.Caption caption = captioner.best(features[Integer.parseInt(id)], maxLength);
            captions.put(id, caption);
            candidates.put(id, caption.text());
        }
        int empty = (int) candidates.values().stream().filter(String::isBlank).count();
        CaptionEvaluator.Evaluation scores = evaluator.evaluate(references, candidates);
        Map<Integer, ScoredCaption> perImage = new LinkedHashMap<>();
        captions.forEach((id, caption) -> perImage.put(Integer.parseInt(id),
                new ScoredCaption(caption, scores.perImage().get(id).get(CaptionEvaluator.CIDER))));
        return new Evaluation(scores.corpus(), candidates.size(), empty, perImage);
    }
}
