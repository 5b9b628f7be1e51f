package dev.captioner.evaluation;

import dev.captioner.language.PtbTokenizer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Behaviour that does not need the golden fixture. */
class CaptionEvaluatorTest {

    private final CaptionEvaluator evaluator = new CaptionEvaluator();

    @Test
    void carriageReturnInsideCaptionIsASpaceAndDoesNotShiftOtherImages() {
        Map<String, List<String>> references = new LinkedHashMap<>();
        references.put("1", List.of("a dog runs on the\r\ngrass", "a brown dog\rin a field"));
        references.put("2", List.of("a cat sleeps on a sofa", "a cat on a couch"));
        Map<String, String> candidates = new LinkedHashMap<>();
        candidates.put("1", "a dog\ron the grass");
        candidates.put("2", "a cat sleeping on a couch");

        Map<String, List<String>> cleanReferences = new LinkedHashMap<>();
        cleanReferences.put("1", List.of("a dog runs on the grass", "a brown dog in a field"));
        cleanReferences.put("2", references.get("2"));
        Map<String, String> cleanCandidates = new LinkedHashMap<>(candidates);
        cleanCandidates.put("1", "a dog on the grass");

        assertThat(new PtbTokenizer().tokenize("a dog\ron the\r\ngrass\u2028today"))
                .containsExactly("a", "dog", "on", "the", "grass", "today");
        assertThat(evaluator.evaluate(references, candidates))
                .isEqualTo(evaluator.evaluate(cleanReferences, cleanCandidates));
    }

    @Test
    void nonAsciiTextIsTokenizedWithoutFailing() {
        PtbTokenizer tokenizer = new PtbTokenizer();
        // As Stanford 3.4.1 has it: the low opening quote is a token the toolkit keeps; emoji are deleted.
        assertThat(tokenizer.tokenize("Ein Mädchen — „lächelnd“ … vor dem Café 😀 東京"))
                .containsExactly("ein", "mädchen", "„", "lächelnd", "vor", "dem", "café", "東京");
        CaptionEvaluator.Evaluation evaluation = evaluator.evaluate(
                Map.of("x", List.of("Ein Mädchen vor dem Café 東京")),
                Map.of("x", "ein mädchen vor dem café 東京"));
        assertThat(evaluation.corpus().get(CaptionEvaluator.BLEU_4)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void identicalCandidateAndReferenceGiveBleuOne() {
        Map<String, List<String>> references = Map.of("7", List.of("A man rides a horse on the beach."));
        CaptionEvaluator.Evaluation evaluation = evaluator.evaluate(references,
                Map.of("7", "a man rides a horse on the beach"));
        for (String metric : List.of(CaptionEvaluator.BLEU_1, CaptionEvaluator.BLEU_2, CaptionEvaluator.BLEU_3,
                CaptionEvaluator.BLEU_4, CaptionEvaluator.ROUGE_L)) {
            assertThat(evaluation.corpus().get(metric)).as(metric).isCloseTo(1.0, within(1e-9));
            assertThat(evaluation.perImage().get("7").get(metric)).as(metric).isCloseTo(1.0, within(1e-9));
        }
        assertThat(evaluation.bleuCounts().guess()).containsExactly(8, 7, 6, 5);
        assertThat(evaluation.bleuCounts().correct()).containsExactly(8, 7, 6, 5);
    }

    @Test
    void tokenizerFollowsPtbRules() {
        PtbTokenizer tokenizer = new PtbTokenizer();
        assertThat(tokenizer.tokenizeToString("It's Mr. Smith's dog; it isn't (really) \"big\"!"))
                .isEqualTo("it 's mr. smith 's dog it is n't -lrb- really -rrb- big");
        assertThat(tokenizer.tokenizeToString("I cannot pay $5.50 at 3:30pm, wanna go?"))
                .isEqualTo("i can not pay $ 5.50 at 3:30 pm wan na go");
        assertThat(tokenizer.tokenizeToString("... , ; : -- .")).isEmpty();
    }

    /** As eval.py: all references one tokenizer stream, all candidates another, so a caption sees the next one. */
    @Test
    void referencesAndCandidatesAreEachTokenizedAsOneStream() {
        Map<String, List<String>> references = new LinkedHashMap<>();
        references.put("1", List.of("a sign with the letter J.", "The letter on a sign"));
        references.put("2", List.of("a big letter M."));
        Map<String, String> candidates = new LinkedHashMap<>();
        candidates.put("1", "plan b.");
        candidates.put("2", "A cat");

        Map<String, List<String>> tokenizedReferences = new LinkedHashMap<>();
        tokenizedReferences.put("1", List.of("a sign with the letter j", "the letter on a sign"));
        tokenizedReferences.put("2", List.of("a big letter m."));
        Map<String, String> tokenizedCandidates = new LinkedHashMap<>();
        tokenizedCandidates.put("1", "plan b");
        tokenizedCandidates.put("2", "a cat");

        assertThat(evaluator.evaluate(references, candidates))
                .isEqualTo(evaluator.evaluateTokenized(tokenizedReferences, tokenizedCandidates));
    }

    @Test
    void mismatchedImageIdsAreRejected() {
        assertThatThrownBy(() -> evaluator.evaluate(Map.of("a", List.of("x")), Map.of("b", "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> evaluator.evaluate(Map.of("a", List.of()), Map.of("a", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void evaluatesFiveThousandImagesWithFiveReferences() {
        String[] vocabulary = ("a an the man woman dog cat horse bus train street table plate pizza sitting "
                + "standing riding eating on in next to with of near red blue white black small large two three "
                + "people field beach kitchen room water grass snow tree building car boat").split(" ");
        Random random = new Random(42);
        Map<String, List<String>> references = new LinkedHashMap<>();
        Map<String, String> candidates = new LinkedHashMap<>();
        for (int image = 0; image < 5_000; image++) {
            String id = Integer.toString(image);
            references.put(id, List.of(sentence(random, vocabulary), sentence(random, vocabulary),
                    sentence(random, vocabulary), sentence(random, vocabulary), sentence(random, vocabulary)));
            candidates.put(id, sentence(random, vocabulary));
        }

        long start = System.nanoTime();
        CaptionEvaluator.Evaluation evaluation = evaluator.evaluate(references, candidates);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("Evaluated 5,000 images x 5 references in " + elapsedMillis + " ms");

        assertThat(evaluation.perImage()).hasSize(5_000);
        assertThat(evaluation.corpus()).containsOnlyKeys(CaptionEvaluator.METRICS);
        assertThat(evaluation.corpus().values()).allSatisfy(score -> assertThat(score).isFinite().isPositive());
    }

    private static String sentence(Random random, String[] vocabulary) {
        StringBuilder sb = new StringBuilder("A");
        int words = 8 + random.nextInt(8);
        for (int i = 0; i < words; i++) {
            sb.append(' ').append(vocabulary[random.nextInt(vocabulary.length)]);
        }
        return sb.append('.').toString();
    }
}
