package dev.captioner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.captioner.dataset.CocoCaptions;
import dev.captioner.evaluation.CaptionEvaluator;
import dev.captioner.language.StanfordPtbTokenizer;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EvaluateCommandTest {

    private static final Path FAKECAP = Path.of("..", "shared", "fixtures", "coco-fakecap-1000");
    private static final String ANNOTATIONS = """
            {"images": [{"id": 1, "file_name": "a.jpg"}, {"id": 2, "file_name": "b.jpg"}],
             "annotations": [{"image_id": 1, "caption": "a red circle"}, {"image_id": 2, "caption": "a blue square"}]}
            """;

    @TempDir
    Path dir;

    private CliRun last;

    private int run(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "evaluate";
        System.arraycopy(args, 0, command, 1, args.length);
        last = CliRun.of(command);
        return last.exit();
    }

    private String error() {
        return last.err();
    }

    private String output() {
        return last.out();
    }

    /**
     * The toolkit's own demo. Its notebook prints these scores to 3 digits. The full-precision values below are
     * the toolkit's own: tylin/coco-caption @ 3a9afb26 run unmodified under Python 2.7 with
     * stanford-corenlp-3.4.1.jar (BLEU, ROUGE-L, CIDEr-D; numpy replaced by the few functions it calls, np.mean
     * with numpy's pairwise summation). BLEU is equal to the bit; the two means over 1000 images may differ in
     * the last bit or two, as the toolkit sums the images in Python 2's dict order. The scores also equal, to
     * 1e-12, what the same metrics give on the tokens of the real Stanford PTBTokenizer 3.4.1 run as eval.py
     * runs it (references of all images as one stream, results as another).
     */
    @Test
    void reproducesTheToolkitDemoScores() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(FAKECAP),
                "coco-fakecap-1000 fixture not found at " + FAKECAP.toAbsolutePath() + " (it lives in ../shared)");
        Path annotations = FAKECAP.resolve("captions_val2014_subset.json");
        Path results = FAKECAP.resolve("fakecap_results.json");
        int exit = run("--annotations", annotations.toString(), "--results", results.toString());
        assertThat(exit).as(error()).isZero();
        JsonNode scores = JsonMapper.builder().build().readTree(output());
        Map<String, Double> expected = Map.of("Bleu_1", 0.579, "Bleu_2", 0.404, "Bleu_3", 0.279, "Bleu_4", 0.191,
                "ROUGE_L", 0.396, "CIDEr", 0.600);
        expected.forEach((key, value) -> assertThat(scores.path(key).asDouble()).as(key).isCloseTo(value, within(5e-4)));
        Map<String, Double> toolkit = Map.of("Bleu_1", 0.5793995754573356, "Bleu_2", 0.40439129741018104,
                "Bleu_3", 0.2785363856619147, "Bleu_4", 0.1908290437674253);
        toolkit.forEach((key, value) -> assertThat(scores.path(key).asDouble()).as(key).isEqualTo(value));
        Map<String, Double> toolkitMeans = Map.of("ROUGE_L", 0.3962526935757084, "CIDEr", 0.59979051851842);
        toolkitMeans.forEach((key, value) -> assertThat(scores.path(key).asDouble()).as(key)
                .isCloseTo(value, within(4 * Math.ulp(value))));
        assertThat(scores.has("perImage")).isFalse();

        CaptionEvaluator.Evaluation onStanfordTokens = evaluateOnStanfordTokens(annotations, results);
        for (String metric : CaptionEvaluator.METRICS) {
            assertThat(scores.path(metric).asDouble()).as(metric + " against Stanford's tokens")
                    .isCloseTo(onStanfordTokens.corpus().get(metric), within(1e-12));
        }
    }

    private static CaptionEvaluator.Evaluation evaluateOnStanfordTokens(Path annotations, Path results)
            throws Exception {
        Map<String, List<String>> references = new LinkedHashMap<>();
        CocoCaptions.read(annotations).captionsByImage()
                .forEach((image, captions) -> references.put(String.valueOf(image.id()), captions));
        Map<String, String> candidates = new LinkedHashMap<>();
        for (JsonNode result : JsonMapper.builder().build().readTree(Files.readString(results))) {
            candidates.put(result.get("image_id").asString(), result.get("caption").asString());
        }
        List<String> referenceStream = new ArrayList<>();
        references.values().forEach(referenceStream::addAll);
        Iterator<String> tokenizedReferences = StanfordPtbTokenizer.tokenize(referenceStream).iterator();
        Map<String, List<String>> tokenizedReferenceMap = new LinkedHashMap<>();
        references.forEach((id, captions) -> tokenizedReferenceMap.put(id,
                captions.stream().map(caption -> tokenizedReferences.next()).toList()));
        List<String> candidateStream = references.keySet().stream().map(candidates::get).toList();
        Iterator<String> tokenizedCandidates = StanfordPtbTokenizer.tokenize(candidateStream).iterator();
        Map<String, String> tokenizedCandidateMap = new LinkedHashMap<>();
        references.keySet().forEach(id -> tokenizedCandidateMap.put(id, tokenizedCandidates.next()));
        return new CaptionEvaluator().evaluateTokenized(tokenizedReferenceMap, tokenizedCandidateMap);
    }

    @Test
    void printsPerImageScoresWhenAsked() throws Exception {
        Path annotations = Files.writeString(dir.resolve("a.json"), ANNOTATIONS);
        Path results = Files.writeString(dir.resolve("r.json"),
                "[{\"image_id\": 1, \"caption\": \"a red circle\"}, {\"image_id\": 2, \"caption\": \"a green square\"}]");
        assertThat(run("--annotations", annotations.toString(), "--results", results.toString(), "--per-image"))
                .as(error()).isZero();
        JsonNode scores = JsonMapper.builder().build().readTree(output());
        assertThat(scores.path("perImage").path("1").path("Bleu_1").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(scores.path("perImage").path("2").path("Bleu_1").asDouble()).isLessThan(1.0);
    }

    @Test
    void badInputsGetAMessageAndANonZeroExit() throws Exception {
        Path annotations = Files.writeString(dir.resolve("a.json"), ANNOTATIONS);
        Path notJson = Files.writeString(dir.resolve("n.json"), "this is not json");
        Path unknown = Files.writeString(dir.resolve("u.json"),
                "[{\"image_id\": 1, \"caption\": \"x\"}, {\"image_id\": 2, \"caption\": \"y\"}, {\"image_id\": 99, \"caption\": \"z\"}]");
        Path partial = Files.writeString(dir.resolve("p.json"), "[{\"image_id\": 1, \"caption\": \"x\"}]");

        assertThat(run("--annotations", dir.resolve("missing.json").toString(), "--results", partial.toString())).isEqualTo(1);
        assertThat(error()).contains("does not exist");
        assertThat(run("--annotations", annotations.toString(), "--results", notJson.toString())).isEqualTo(1);
        assertThat(error()).contains("is not a COCO results file");
        assertThat(run("--annotations", notJson.toString(), "--results", partial.toString())).isEqualTo(1);
        assertThat(error()).contains("is not a COCO captions file");
        assertThat(run("--annotations", annotations.toString(), "--results", unknown.toString())).isEqualTo(1);
        assertThat(error()).contains("not in the annotations").contains("99");
        assertThat(run("--annotations", annotations.toString(), "--results", partial.toString())).isEqualTo(1);
        assertThat(error()).contains("have no result").contains("2");
        assertThat(run("--results", partial.toString())).isEqualTo(2);
        assertThat(error()).doesNotContain("Exception");
        assertThat(output()).as("nothing on stdout for a refused run").isEmpty();
    }
}
