package dev.captioner.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Interns the 1..4-grams of a corpus as dense int ids, so the scorers compare sorted int arrays instead of
 * hashing n-gram strings; this keeps a 5,000-image corpus to well under a second.
 *
 * <p>An n-gram's id is looked up from its (n-1)-gram prefix's id and its last word's id, so equal n-grams get
 * equal ids and n-grams of different orders never share one.
 */
final class NGrams {

    static final int MAX_N = 4;

    /** Prefix id of unigrams; real ids are never negative. */
    private static final int NO_PREFIX = -1;

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final Map<String, Integer> vocabulary = new HashMap<>();
    private final IdTable ids = new IdTable();

    /**
     * The n-grams of one sentence: for each order (index n-1) the distinct ids in ascending order and, at the
     * same index, how often each occurs.
     */
    record Counts(int words, int[][] ids, int[][] counts) {

        /** Occurrences of n-gram {@code id} of order {@code order} (0-based). */
        int countOf(int order, int id) {
            int at = Arrays.binarySearch(ids[order], id);
            return at >= 0 ? counts[order][at] : 0;
        }
    }

    /** Number of distinct n-gram ids handed out so far; every id is below it. */
    int size() {
        return ids.size;
    }

    /** N-gram counts of a tokenized sentence, split like Python's {@code str.split()}. */
    Counts count(String sentence) {
        String[] words = words(sentence);
        int[] wordIds = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            wordIds[i] = vocabulary.computeIfAbsent(words[i], w -> vocabulary.size());
        }
        int[] previous = new int[words.length];
        Arrays.fill(previous, NO_PREFIX);
        int[][] distinctIds = new int[MAX_N][];
        int[][] counts = new int[MAX_N][];
        for (int n = 1; n <= MAX_N; n++) {
            int grams = Math.max(words.length - n + 1, 0);
            int[] current = new int[grams];
            for (int i = 0; i < grams; i++) {
                long key = ((long) previous[i] << 32) | (wordIds[i + n - 1] & 0xFFFFFFFFL);
                current[i] = ids.idOf(key);
            }
            previous = current;
            int[] sorted = current.clone();
            Arrays.sort(sorted);
            int distinct = 0;
            int[] runCounts = new int[sorted.length];
            for (int i = 0; i < sorted.length; i++) {
                if (i > 0 && sorted[i] == sorted[i - 1]) {
                    runCounts[distinct - 1]++;
                } else {
                    sorted[distinct] = sorted[i];
                    runCounts[distinct++] = 1;
                }
            }
            distinctIds[n - 1] = Arrays.copyOf(sorted, distinct);
            counts[n - 1] = Arrays.copyOf(runCounts, distinct);
        }
        return new Counts(words.length, distinctIds, counts);
    }

    /** Python's {@code str.split()}: whitespace runs separate words and an empty string has no words. */
    static String[] words(String sentence) {
        String trimmed = sentence.strip();
        return trimmed.isEmpty() ? new String[0] : WHITESPACE.split(trimmed);
    }

    /** The corpus's image ids, failing when the two sides do not cover the same images. */
    static List<String> imageIds(Map<String, List<String>> references, Map<String, String> candidates) {
        if (!references.keySet().equals(candidates.keySet())) {
            throw new IllegalArgumentException("references and candidates must cover the same image ids");
        }
        for (Map.Entry<String, List<String>> entry : references.entrySet()) {
            if (entry.getValue().isEmpty()) {
                throw new IllegalArgumentException("image " + entry.getKey() + " has no reference caption");
            }
        }
        return new ArrayList<>(references.keySet());
    }

    /**
     * Open-addressing map from n-gram key to dense id. A corpus has millions of distinct n-grams; boxed
     * {@code HashMap<Long, Integer>} entries would dominate time and memory.
     */
    private static final class IdTable {

        private long[] keys = new long[1 << 12];
        private int[] values = filled(1 << 12);
        private int size;

        /** The id of {@code key}, assigning the next free id the first time it is seen. */
        int idOf(long key) {
            int mask = keys.length - 1;
            int slot = hash(key) & mask;
            while (values[slot] >= 0) {
                if (keys[slot] == key) {
                    return values[slot];
                }
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            values[slot] = size;
            if (++size * 2 > keys.length) {
                grow();
            }
            return size - 1;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = filled(oldKeys.length * 2);
            int mask = keys.length - 1;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldValues[i] >= 0) {
                    int slot = hash(oldKeys[i]) & mask;
                    while (values[slot] >= 0) {
                        slot = (slot + 1) & mask;
                    }
                    keys[slot] = oldKeys[i];
                    values[slot] = oldValues[i];
                }
            }
        }

        private static int hash(long key) {
            // MurmurHash3's finaliser: every key bit reaches the low bits used as the slot index.
            long h = (key ^ (key >>> 33)) * 0xFF51AFD7ED558CCDL;
            h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
            return (int) (h ^ (h >>> 33));
        }

        /** Empty slots hold -1 because 0 is a valid id. */
        private static int[] filled(int length) {
            int[] array = new int[length];
            Arrays.fill(array, -1);
            return array;
        }
    }
}
