package dev.captioner.evaluation;

import static org.assertj.core.data.Offset.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Golden values from the official COCO caption toolkit, read from the shared fixture (never copied into the
 * repository). Tests calling {@link #root()} are skipped when the fixture is absent.
 */
final class CocoGoldenFixture {

    static final Path PATH = Path.of("..", "shared", "fixtures", "coco-caption-golden", "coco_caption_golden.json");

    private static JsonNode root;

    private CocoGoldenFixture() {
    }

    record Image(String id, List<String> references, String candidate, List<String> tokenizedReferences,
                 String tokenizedCandidate) {
    }

    /** The parsed fixture; aborts (skips) the calling test when the file is not there. */
    static synchronized JsonNode root() {
        assumeTrue(Files.isRegularFile(PATH),
                "COCO caption golden fixture not found at " + PATH.toAbsolutePath().normalize());
        if (root == null) {
            try {
                root = new JsonMapper().readTree(Files.readString(PATH));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /** A scored section: the top level, {@code edge_cases} or {@code single_image_corpus}. */
    static JsonNode section(String name) {
        return name.isEmpty() ? root() : root().get(name);
    }

    static List<Image> images(JsonNode section) {
        List<Image> images = new ArrayList<>();
        for (JsonNode image : section.get("images")) {
            images.add(new Image(image.get("image_id").asString(), strings(image.get("references")),
                    image.get("candidate").asString(), strings(image.get("tokenized_references")),
                    image.get("tokenized_candidate").asString()));
        }
        return images;
    }

    static Map<String, List<String>> references(List<Image> images, boolean tokenized) {
        Map<String, List<String>> references = new LinkedHashMap<>();
        images.forEach(image -> references.put(image.id(),
                tokenized ? image.tokenizedReferences() : image.references()));
        return references;
    }

    static Map<String, String> candidates(List<Image> images, boolean tokenized) {
        Map<String, String> candidates = new LinkedHashMap<>();
        images.forEach(image -> candidates.put(image.id(),
                tokenized ? image.tokenizedCandidate() : image.candidate()));
        return candidates;
    }

    /**
     * Checks corpus and per-image scores and BLEU counts of {@code evaluation} against {@code section}, to 1e-9
     * relative (1e-12 absolute where the golden value is exactly 0).
     */
    static void assertMatches(CaptionEvaluator.Evaluation evaluation, JsonNode section) {
        SoftAssertions softly = new SoftAssertions();
        for (String metric : CaptionEvaluator.METRICS) {
            assertClose(softly, evaluation.corpus().get(metric), section.get("corpus").get(metric), "corpus " + metric);
        }
        assertCounts(softly, evaluation.bleuCounts(), section.get("bleu_corpus_counts"), "corpus");
        softly.assertThat(evaluation.bleuCounts().ratio()).as("corpus BLEU ratio")
                .isEqualTo(section.get("bleu_corpus_counts").get("ratio").asDouble());
        JsonNode perImage = section.get("per_image");
        softly.assertThat(evaluation.perImage().keySet()).as("image ids")
                .containsExactlyInAnyOrderElementsOf(perImage.propertyNames());
        for (Map.Entry<String, JsonNode> image : perImage.properties()) {
            Map<String, Double> actual = evaluation.perImage().get(image.getKey());
            if (actual == null) {
                continue;
            }
            for (String metric : CaptionEvaluator.METRICS) {
                assertClose(softly, actual.get(metric), image.getValue().get(metric), image.getKey() + " " + metric);
            }
        }
        softly.assertAll();
    }

    static void assertCounts(SoftAssertions softly, Bleu.Counts actual, JsonNode expected, String label) {
        softly.assertThat(actual.testLength()).as(label + " testlen").isEqualTo(expected.get("testlen").asInt());
        softly.assertThat(actual.referenceLength()).as(label + " reflen").isEqualTo(expected.get("reflen").asInt());
        softly.assertThat(actual.guess()).as(label + " guess").containsExactly(ints(expected.get("guess")));
        softly.assertThat(actual.correct()).as(label + " correct").containsExactly(ints(expected.get("correct")));
    }

    static void assertClose(SoftAssertions softly, Double actual, JsonNode expected, String label) {
        double golden = expected.asDouble();
        double tolerance = golden == 0 ? 1e-12 : Math.abs(golden) * 1e-9;
        softly.assertThat(actual).as(label).isNotNull();
        if (actual != null) {
            softly.assertThat(actual).as(label).isCloseTo(golden, offset(tolerance));
        }
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
