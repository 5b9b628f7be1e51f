package dev.captioner.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules of Stanford PTBTokenizer 3.4.1 that the captions show, checked without the jar. */
class PtbTokenizerTest {

    private final PtbTokenizer tokenizer = new PtbTokenizer();

    @Test
    void aCaptionCanDependOnTheNextOneInTheStream() {
        assertThat(tokenizer.tokenizeToStrings(List.of("the letter J.", "The sign is red")))
                .containsExactly("the letter j", "the sign is red");
        assertThat(tokenizer.tokenizeToStrings(List.of("plan b.", "A cat"))).containsExactly("plan b", "a cat");
        assertThat(tokenizer.tokenizeToStrings(List.of("plan b.", "a cat"))).containsExactly("plan b.", "a cat");
        assertThat(tokenizer.tokenizeToString("plan b.")).as("nothing follows a single caption").isEqualTo("plan b.");
        assertThat(tokenizer.tokenize(List.of())).isEmpty();
        assertThat(tokenizer.tokenizeToStrings(List.of("", "", "A dog.", "", "..."))).containsExactly("", "", "a dog", "",
                "");
    }

    @Test
    void numberSignsAndAtSignsKeepOnlyLetters() {
        assertThat(tokenizer.tokenizeToString("Barry Bonds #25 at bat")).isEqualTo("barry bonds # 25 at bat");
        assertThat(tokenizer.tokenizeToString("a sign with #fun and @user_1 and @2you"))
                .isEqualTo("a sign with #fun and @user_1 and @ 2you");
    }

    @Test
    void abbreviationsKeepTheirPeriodSomeOnlyWhenCapitalisedOrBeforeANumber() {
        assertThat(tokenizer.tokenizeToString("a town in Ill. at night")).isEqualTo("a town in ill. at night");
        assertThat(tokenizer.tokenizeToString("the dog looks ill. a cat")).isEqualTo("the dog looks ill a cat");
        assertThat(tokenizer.tokenizeToString("a jersey with no.7 on it, the word no. a cat"))
                .isEqualTo("a jersey with no. 7 on it the word no a cat");
        assertThat(tokenizer.tokenizeToString("a sign for Maple Ln. and Oak Dr."))
                .isEqualTo("a sign for maple ln and oak dr.");
    }

    @Test
    void digitGroupsAndFractionsAreOneTokenWithNoBreakSpaces() {
        assertThat(tokenizer.tokenize("numbers 20 100 200 on a 2 1/2 foot sign (555) 555-1234"))
                .containsExactly("numbers", "20\u00A0100\u00A0200", "on", "a", "2\u00A01/2", "foot", "sign",
                        "-lrb-555-rrb-\u00A0555-1234");
    }

    @Test
    void apostrophesSymbolsAndUnicode() {
        assertThat(tokenizer.tokenizeToString("y'all get 'em at Dunkin' 'til 5 o'clock, 'tis rock 'n' roll"))
                .isEqualTo("y' all get 'em at dunkin' 'til 5 o'clock 't is rock 'n' roll");
        assertThat(tokenizer.tokenizeToString("AT&T vs at&t, c++ :) a 2\u00D74 at 5\u00B0 \uD83D\uDE00 caf\u00E9"))
                .isEqualTo("at&t vs at & t c++ :-rrb- a 2 \u00D7 4 at 5 \u00B0 caf\u00E9");
        assertThat(tokenizer.tokenizeToString("a sign -- and ----- a dash")).isEqualTo("a sign and ----- a dash");
    }
}
