package dev.captioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code tokenize}: standard input in, one tokenized line out per line, the whole input one stream. */
class TokenizeCommandTest {

    private static CliRun tokenize(String input) {
        CliRun run = CliRun.withInput(input, "tokenize");
        assertThat(run.exit()).as(run.err()).isZero();
        return run;
    }

    @Test
    void printsEachCaptionAsTheToolkitTokenizesIt() {
        CliRun run = tokenize("Barry Bonds #25 at bat.\nIt's Mr. Smith's dog; it isn't (really) \"big\"!\n");
        assertThat(run.out().lines()).containsExactly("barry bonds # 25 at bat",
                "it 's mr. smith 's dog it is n't -lrb- really -rrb- big");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void theInputIsOneStreamSoALineSeesTheNextOne() {
        CliRun run = tokenize("the letter J.\nThe sign is red\nplan b.\na cat on a mat\n");
        assertThat(run.out().lines()).containsExactly("the letter j", "the sign is red", "plan b.", "a cat on a mat");
    }

    @Test
    void oneLineOutPerLineInEvenEmptyOnes() {
        CliRun run = tokenize("a dog\n\n... !\nthe end");
        assertThat(run.out().lines()).containsExactly("a dog", "", "", "the end");
        assertThat(tokenize("").out()).isEmpty();
        assertThat(tokenize("\n").out().lines()).containsExactly("");
    }

    @Test
    void readsUtf8AndKeepsNoBreakSpacesInsideTokens() {
        CliRun run = tokenize("Ein Café 😀 東京 ½\r\nnumbers 20 100 200 on a bus\n");
        assertThat(run.out().lines()).containsExactly("ein café 東京 1/2", "numbers 20\u00A0100\u00A0200 on a bus");
    }
}
