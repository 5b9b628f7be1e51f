package dev.captioner.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link PtbTokenizer} against the real Stanford PTBTokenizer 3.4.1 run as the COCO caption toolkit runs it
 * ({@link StanfordPtbTokenizer}): token for token, every caption of one stream, so the rules that look at the
 * next caption are checked too.
 */
class PtbTokenizerDifferentialTest {

    /** How many generated captions; {@code -Dptb.differential.captions=100000} for a longer run. */
    private static final int CAPTIONS = Integer.getInteger("ptb.differential.captions", 20_000);
    private static final long SEED = Long.getLong("ptb.differential.seed", 20_140_601L);
    private static final Path CASES = Path.of("..", "shared", "fixtures", "ptb-tokenizer-cases", "cases.json");
    private static final int SHOWN = 25;

    private final PtbTokenizer tokenizer = new PtbTokenizer();

    @Test
    void generatedCaptionsOfEveryKindMatchStanfordAsOneStream() {
        List<RandomCaptions.Caption> generated = new RandomCaptions(SEED).captions(CAPTIONS);
        List<String> captions = generated.stream().map(RandomCaptions.Caption::text).toList();

        List<String> stanford = StanfordPtbTokenizer.tokenize(captions);
        List<String> ours = tokenizer.tokenizeToStrings(captions);

        Map<RandomCaptions.Category, Integer> perCategory = new EnumMap<>(RandomCaptions.Category.class);
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < captions.size(); i++) {
            RandomCaptions.Category category = generated.get(i).category();
            if (!stanford.get(i).equals(ours.get(i))) {
                perCategory.merge(category, 1, Integer::sum);
                if (shown.size() < SHOWN) {
                    shown.add(String.format("[%s] line %d %s%n    stanford %s%n    ours     %s", category, i,
                            escaped(captions.get(i)), escaped(stanford.get(i)), escaped(ours.get(i))));
                }
            }
        }
        assertThat(shown).as("%d of %d captions (seed %d) differ from Stanford, per category %s; the first:%n%s",
                perCategory.values().stream().mapToInt(Integer::intValue).sum(), captions.size(), SEED, perCategory,
                String.join(System.lineSeparator(), shown)).isEmpty();
    }

    /**
     * The shared fixture's made-up captions, each followed by a neutral caption as its README says. The README
     * names "A cat on a mat", but a capital "A" after "plan b." makes Stanford drop the period, which its
     * expected values keep; "a cat on a mat" reproduces all of them, which the real tokenizer confirms here.
     */
    @Test
    void fixtureCasesMatchTheirExpectedTokensAndStanford() throws Exception {
        assumeTrue(Files.isRegularFile(CASES), "PTB tokenizer cases fixture not found at "
                + CASES.toAbsolutePath().normalize() + " (it lives in ../shared)");
        JsonNode cases = new JsonMapper().readTree(Files.readString(CASES)).get("cases");
        List<String> stream = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (JsonNode testCase : cases) {
            stream.add(testCase.get("raw").asString());
            stream.add("a cat on a mat");
            expected.add(testCase.get("expected").asString());
        }
        assertThat(expected).hasSize(147);

        List<String> ours = tokenizer.tokenizeToStrings(stream);
        List<String> stanford = StanfordPtbTokenizer.tokenize(stream);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            String raw = stream.get(2 * i);
            if (!ours.get(2 * i).equals(expected.get(i)) || !stanford.get(2 * i).equals(expected.get(i))) {
                problems.add(String.format("%s: expected %s, ours %s, stanford %s", escaped(raw),
                        escaped(expected.get(i)), escaped(ours.get(2 * i)), escaped(stanford.get(2 * i))));
            }
        }
        assertThat(problems).as(String.join(System.lineSeparator(), problems)).isEmpty();
    }

    /** Invisible and no-break characters made visible, so a failure message shows what differs. */
    private static String escaped(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                out.appendCodePoint(c);
            } else if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (Character.isLetterOrDigit(c) && c > 0xA0) {
                out.appendCodePoint(c);
            } else {
                out.append(String.format(c > 0xFFFF ? "\\U%08X" : "\\u%04X", c));
            }
        });
        return out.append('"').toString();
    }
}
