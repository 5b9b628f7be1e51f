package dev.captioner.language;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Word <-> id mapping. Ids 0-3 are reserved: padding, START, END and UNK (words seen fewer than
 * {@code minCount} times in training). The remaining words are ordered by frequency, then alphabetically,
 * so the same captions always give the same vocabulary.
 */
public final class Vocabulary {

    public static final String PAD = "<pad>";
    public static final String START = "<start>";
    public static final String END = "<end>";
    public static final String UNK = "<unk>";
    public static final int PAD_ID = 0;
    public static final int START_ID = 1;
    public static final int END_ID = 2;
    public static final int UNK_ID = 3;
    private static final List<String> RESERVED = List.of(PAD, START, END, UNK);

    private final List<String> words;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> words) {
        if (words.size() < RESERVED.size() || !words.subList(0, RESERVED.size()).equals(RESERVED)) {
            throw new IllegalArgumentException("a vocabulary must start with " + RESERVED);
        }
        this.words = List.copyOf(words);
        this.ids = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            if (ids.put(words.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate word in vocabulary: " + words.get(i));
            }
        }
    }

    public static Vocabulary of(List<String> wordsAfterReserved) {
        List<String> all = new ArrayList<>(RESERVED);
        all.addAll(wordsAfterReserved);
        return new Vocabulary(all);
    }

    public static Vocabulary build(Collection<List<String>> tokenizedCaptions, int minCount) {
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> caption : tokenizedCaptions) {
            for (String word : caption) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        List<String> kept = counts.entrySet().stream()
                .filter(e -> e.getValue() >= minCount && !RESERVED.contains(e.getKey()))
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .toList();
        return of(kept);
    }

    public int size() {
        return words.size();
    }

    public int id(String word) {
        return ids.getOrDefault(word, UNK_ID);
    }

    public String word(int id) {
        return words.get(id);
    }

    public boolean contains(String word) {
        return ids.containsKey(word);
    }

    /** START, the words (at most {@code maxLength}, unknown ones as UNK), END. */
    public int[] encode(List<String> tokens, int maxLength) {
        int length = Math.min(tokens.size(), maxLength);
        int[] sequence = new int[length + 2];
        sequence[0] = START_ID;
        for (int i = 0; i < length; i++) {
            sequence[i + 1] = id(tokens.get(i));
        }
        sequence[length + 1] = END_ID;
        return sequence;
    }

    /** Words up to the first END, without reserved tokens. */
    public List<String> decode(int[] sequence) {
        List<String> result = new ArrayList<>();
        for (int id : sequence) {
            if (id == END_ID) {
                break;
            }
            if (id >= RESERVED.size()) {
                result.add(words.get(id));
            }
        }
        return result;
    }

    public void write(Path file) throws IOException {
        Files.write(file, words, StandardCharsets.UTF_8);
    }

    public static Vocabulary read(Path file) throws IOException {
        return new Vocabulary(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Vocabulary v && v.words.equals(words);
    }

    @Override
    public int hashCode() {
        return words.hashCode();
    }
}
