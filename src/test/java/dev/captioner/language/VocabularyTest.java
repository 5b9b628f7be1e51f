package dev.captioner.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

    private static final PtbTokenizer TOKENIZER = new PtbTokenizer();

    private static final List<List<String>> CAPTIONS = List.of(
            TOKENIZER.tokenize("A red circle."),
            TOKENIZER.tokenize("a red square"),
            TOKENIZER.tokenize("A blue circle!"),
            TOKENIZER.tokenize("a zebra"));

    @Test
    void keepsWordsSeenOftenEnoughOrderedByFrequency() {
        Vocabulary vocabulary = Vocabulary.build(CAPTIONS, 2);
        assertThat(vocabulary.size()).isEqualTo(4 + 3);
        assertThat(vocabulary.word(4)).isEqualTo("a");
        assertThat(List.of(vocabulary.word(5), vocabulary.word(6))).containsExactly("circle", "red");
        assertThat(vocabulary.id("zebra")).isEqualTo(Vocabulary.UNK_ID);
        assertThat(vocabulary.id("blue")).isEqualTo(Vocabulary.UNK_ID);
    }

    @Test
    void encodesWithStartEndUnknownAndTruncation() {
        Vocabulary vocabulary = Vocabulary.build(CAPTIONS, 2);
        int[] encoded = vocabulary.encode(List.of("a", "zebra", "circle", "red"), 3);
        assertThat(encoded).containsExactly(Vocabulary.START_ID, vocabulary.id("a"), Vocabulary.UNK_ID,
                vocabulary.id("circle"), Vocabulary.END_ID);
        assertThat(vocabulary.decode(new int[] {vocabulary.id("a"), vocabulary.id("red"), Vocabulary.END_ID, vocabulary.id("circle")}))
                .containsExactly("a", "red");
    }

    @Test
    void tokenizerLowercasesAndDropsPunctuation() {
        assertThat(TOKENIZER.tokenize("  A Big, RED circle...on the left!  "))
                .containsExactly("a", "big", "red", "circle", "on", "the", "left");
        assertThat(TOKENIZER.tokenize("")).isEmpty();
    }

    @Test
    void roundTripsThroughAFile(@TempDir Path dir) throws Exception {
        Vocabulary vocabulary = Vocabulary.build(CAPTIONS, 1);
        Path file = dir.resolve("vocabulary.txt");
        vocabulary.write(file);
        assertThat(Vocabulary.read(file)).isEqualTo(vocabulary);
        Files.writeString(file, "hello\nworld\n");
        assertThatThrownBy(() -> Vocabulary.read(file)).hasMessageContaining("must start with");
    }

    @Test
    void buildingIsDeterministic() {
        List<List<String>> reversed = new java.util.ArrayList<>(CAPTIONS);
        java.util.Collections.reverse(reversed);
        assertThat(Vocabulary.build(CAPTIONS, 1)).isEqualTo(Vocabulary.build(reversed, 1));
    }
}
