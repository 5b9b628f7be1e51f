package dev.captioner.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExcerptTest {

    @Test
    void shortInputIsQuotedWhole() {
        assertThat(Excerpt.of("beam")).isEqualTo("beam");
        assertThat(Excerpt.of("y".repeat(200))).isEqualTo("y".repeat(200));
        assertThat(Excerpt.of(null)).isEqualTo("null");
        assertThat(Excerpt.of(42)).isEqualTo("42");
    }

    @Test
    void longInputIsCutTo200CharactersAndAnEllipsis() {
        assertThat(Excerpt.of("y".repeat(201))).isEqualTo("y".repeat(200) + "...");
        assertThat(Excerpt.of("y".repeat(5_000_000))).hasSize(203);
    }

    @Test
    void aCutNeverSplitsACharacterOutsideTheBasicPlane() {
        String excerpt = Excerpt.of("y".repeat(199) + "\uD83D\uDE00" + "z");
        assertThat(excerpt).isEqualTo("y".repeat(199) + "...");
    }
}
