package dev.captioner.evaluation;

import dev.captioner.language.PtbTokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MS COCO caption evaluation (BLEU-1..4, ROUGE-L, CIDEr-D) of raw captions, with the official toolkit's
 * tokenization and metric keys. METEOR and SPICE are not provided.
 */
public final class CaptionEvaluator {

    public static final String BLEU_1 = "Bleu_1";
    public static final String BLEU_2 = "Bleu_2";
    public static final String BLEU_3 = "Bleu_3";
    public static final String BLEU_4 = "Bleu_4";
    public static final String ROUGE_L = "ROUGE_L";
    public static final String CIDER = "CIDEr";
    public static final List<String> METRICS = List.of(BLEU_1, BLEU_2, BLEU_3, BLEU_4, ROUGE_L, CIDER);

    private final PtbTokenizer tokenizer;

    public CaptionEvaluator() {
        this(new PtbTokenizer());
    }

    public CaptionEvaluator(PtbTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * Result of one evaluation.
     *
     * @param corpus     corpus score per metric key
     * @param perImage   per image id, score per metric key
     * @param bleuCounts the corpus BLEU statistics (testlen, reflen, guess, correct, ratio)
     */
    public record Evaluation(Map<String, Double> corpus, Map<String, Map<String, Double>> perImage,
                             Bleu.Counts bleuCounts) {
    }

    /**
     * Evaluates raw candidate captions against raw references. Both maps must hold the same image ids and every
     * image at least one reference. The images given form the corpus (CIDEr-D's document frequencies).
     *
     * <p>Tokenized as the toolkit's eval.py does it: the references of all images as one stream (image by image in
     * the references' order, each image's captions in order), the candidates as another stream in the same image
     * order, so a caption sees the one after it as the toolkit's tokenizer run does.
     */
    public Evaluation evaluate(Map<String, List<String>> references, Map<String, String> candidates) {
        NGrams.imageIds(references, candidates);
        List<String> referenceStream = new ArrayList<>();
        references.values().forEach(referenceStream::addAll);
        Iterator<String> tokenizedReferenceStream = tokenizer.tokenizeToStrings(referenceStream).iterator();
        Map<String, List<String>> tokenizedReferences = new LinkedHashMap<>();
        references.forEach((id, captions) -> {
            List<String> tokenized = new ArrayList<>(captions.size());
            captions.forEach(caption -> tokenized.add(tokenizedReferenceStream.next()));
            tokenizedReferences.put(id, tokenized);
        });
        List<String> candidateStream = references.keySet().stream().map(candidates::get).toList();
        Iterator<String> tokenizedCandidateStream = tokenizer.tokenizeToStrings(candidateStream).iterator();
        Map<String, String> tokenizedCandidates = new LinkedHashMap<>();
        references.keySet().forEach(id -> tokenizedCandidates.put(id, tokenizedCandidateStream.next()));
        return evaluateTokenized(tokenizedReferences, tokenizedCandidates);
    }

    /** Evaluates captions that are already tokenized and space-joined, skipping the tokenizer. */
    public Evaluation evaluateTokenized(Map<String, List<String>> references, Map<String, String> candidates) {
        Bleu.Result bleu = Bleu.compute(references, candidates);
        MetricScores rouge = RougeL.compute(references, candidates);
        MetricScores cider = CiderD.compute(references, candidates);

        Map<String, Double> corpus = new LinkedHashMap<>();
        for (int n = 1; n <= NGrams.MAX_N; n++) {
            corpus.put(METRICS.get(n - 1), bleu.corpus(n));
        }
        corpus.put(ROUGE_L, rouge.corpus());
        corpus.put(CIDER, cider.corpus());

        Map<String, Map<String, Double>> perImage = new LinkedHashMap<>();
        for (String id : references.keySet()) {
            Map<String, Double> scores = new LinkedHashMap<>();
            for (int n = 1; n <= NGrams.MAX_N; n++) {
                scores.put(METRICS.get(n - 1), bleu.image(id, n));
            }
            scores.put(ROUGE_L, rouge.perImage().get(id));
            scores.put(CIDER, cider.perImage().get(id));
            perImage.put(id, Collections.unmodifiableMap(scores));
        }
        return new Evaluation(Collections.unmodifiableMap(corpus), Collections.unmodifiableMap(perImage),
                bleu.corpusCounts());
    }
}
