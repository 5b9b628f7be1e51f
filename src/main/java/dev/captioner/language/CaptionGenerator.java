package dev.captioner.language;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Turns a next-word model into captions: beam search, greedy decoding and temperature sampling. All
 * start from START and stop at END or after {@code maxLength} words. PAD, START and UNK are never
 * generated (their probability mass is simply not chosen, so reported probabilities stay the model's own).
 */
public final class CaptionGenerator {

    /** Most likely first; among equals, the lower id. */
    private static final Comparator<WordChoice> BY_LIKELIHOOD = Comparator
            .comparingDouble(WordChoice::logProbability).reversed().thenComparingInt(WordChoice::word);

    private CaptionGenerator() {
    }

    /**
     * Keeps the {@code beamSize} most probable partial captions at each step, all advanced through the
     * model as one batch, and returns the {@code n} most probable finished captions (best first).
     * Stops early once no live beam can beat the n-th finished caption, since log-probabilities only fall.
     */
    public static List<GeneratedCaption> beamSearch(NextWordModel model, int beamSize, int n, int maxLength) {
        return beamSearch(model, beamSize, n, maxLength, Decoding.PLAIN);
    }

    /**
     * {@link #beamSearch(NextWordModel, int, int, int)} as {@code decoding} asks: each word with the most likely
     * other words of its hypothesis's step, finished captions ranked (kept, dropped, ordered) by their score under
     * its length penalty, and no hypothesis extended by a word that repeats one of its trigrams. The captions keep
     * their raw log-probabilities. The early stop still holds: a hypothesis is dropped once even the best score it
     * could reach by {@code maxLength} cannot beat the n-th finished caption's.
     */
    public static List<GeneratedCaption> beamSearch(NextWordModel model, int beamSize, int n, int maxLength,
                                                    Decoding decoding) {
        requirePositive(beamSize, "beamSize");
        requirePositive(n, "n");
        requirePositive(maxLength, "maxLength");
        int alternatives = decoding.alternatives();
        LengthPenalty penalty = decoding.lengthPenalty();
        Comparator<GeneratedCaption> bestFirst = Comparator.comparingDouble(
                (GeneratedCaption c) -> penalty.score(c.logProbability(), steps(c))).reversed();
        List<Beam> live = List.of(new Beam(new int[0], 0, null, new double[0], alternatives > 0 ? new WordChoice[0][] : null));
        NextWordModel.State state = model.initialState(1);
        List<GeneratedCaption> finished = new ArrayList<>();
        for (int length = 0; length < maxLength && !live.isEmpty(); length++) {
            int[] last = live.stream().mapToInt(Beam::lastWord).toArray();
            NextWordModel.Step step = model.step(state, last);
            PriorityQueue<Candidate> best = new PriorityQueue<>(Comparator.comparingDouble(Candidate::score));
            List<GeneratedCaption> ended = new ArrayList<>();
            for (int row = 0; row < live.size(); row++) {
                Beam beam = live.get(row);
                double[] logProbs = step.logProbabilities()[row];
                ended.add(beam.ended(logProbs[Vocabulary.END_ID]));
                for (int word = 0; word < logProbs.length; word++) {
                    if (!generatable(word) || word == Vocabulary.END_ID
                            || decoding.repeatsTrigram(beam.words, beam.words.length, word)) {
                        continue;
                    }
                    double score = beam.score + logProbs[word];
                    if (best.size() < beamSize) {
                        best.add(new Candidate(row, word, score));
                    } else if (score > best.peek().score()) {
                        best.poll();
                        best.add(new Candidate(row, word, score));
                    }
                }
            }
            finished.addAll(ended);
            finished.sort(bestFirst);
            if (finished.size() > n) {
                finished.subList(n, finished.size()).clear();
            }
            List<Candidate> kept = new ArrayList<>(best);
            kept.sort(Comparator.comparingDouble(Candidate::score).reversed());
            double nthFinished = finished.size() == n
                    ? penalty.score(finished.get(n - 1).logProbability(), steps(finished.get(n - 1)))
                    : Double.NEGATIVE_INFINITY;
            kept.removeIf(c -> penalty.bestReachable(c.score(), maxLength + 1) <= nthFinished);
            int[] parentRows = kept.stream().mapToInt(Candidate::row).toArray();
            List<Beam> next = new ArrayList<>(kept.size());
            for (Candidate c : kept) {
                // the parent's row of this step: its own history's distribution, whatever order the beams are in now
                double[] logProbs = step.logProbabilities()[c.row()];
                next.add(live.get(c.row()).extend(c.word(), c.score(), attentionOf(step, c.row()), logProbs[c.word()],
                        alternatives > 0 ? alternativesTo(c.word(), logProbs, alternatives) : null));
            }
            live = next;
            if (!live.isEmpty()) {
                state = step.state().select(parentRows);
            }
        }
        List<GeneratedCaption> results = new ArrayList<>(finished);
        for (Beam beam : live) {
            results.add(beam.cut());
        }
        results.sort(bestFirst);
        return List.copyOf(results.subList(0, Math.min(n, results.size())));
    }

    /** The steps whose log-probabilities a caption adds: its words, and END when it finished. */
    private static int steps(GeneratedCaption caption) {
        return caption.words().length + (caption.complete() ? 1 : 0);
    }

    /** The single most probable word at every step. */
    public static GeneratedCaption greedy(NextWordModel model, int maxLength) {
        return greedy(model, maxLength, Decoding.PLAIN);
    }

    /**
     * {@link #greedy(NextWordModel, int)}, each word also with the most likely other words, and with the trigram
     * guard the most probable word that repeats none (there is one: END repeats nothing).
     */
    public static GeneratedCaption greedy(NextWordModel model, int maxLength, Decoding decoding) {
        requirePositive(maxLength, "maxLength");
        int alternatives = decoding.alternatives();
        NextWordModel.State state = model.initialState(1);
        int[] words = new int[maxLength];
        float[][] attention = new float[maxLength][];
        double[] wordLogProbs = new double[maxLength];
        WordChoice[][] choices = alternatives > 0 ? new WordChoice[maxLength][] : null;
        int length = 0;
        double score = 0;
        int last = Vocabulary.START_ID;
        boolean attends = false;
        while (true) {
            NextWordModel.Step step = model.step(state, new int[] {last});
            double[] logProbs = step.logProbabilities()[0];
            int best = Vocabulary.END_ID;
            for (int word = 0; word < logProbs.length; word++) {
                if (generatable(word) && logProbs[word] > logProbs[best]
                        && !decoding.repeatsTrigram(words, length, word)) {
                    best = word;
                }
            }
            if (best == Vocabulary.END_ID || length == maxLength) {
                boolean complete = best == Vocabulary.END_ID;
                return new GeneratedCaption(Arrays.copyOf(words, length), complete ? score + logProbs[best] : score, complete,
                        attends ? Arrays.copyOf(attention, length) : null, Arrays.copyOf(wordLogProbs, length),
                        complete ? logProbs[best] : Double.NaN, choices == null ? null : Arrays.copyOf(choices, length));
            }
            score += logProbs[best];
            wordLogProbs[length] = logProbs[best];
            if (choices != null) {
                choices[length] = alternativesTo(best, logProbs, alternatives);
            }
            attends = step.attention() != null;
            attention[length] = attentionOf(step, 0);
            words[length++] = best;
            last = best;
            state = step.state();
        }
    }

    /**
     * {@code n} independent samples, drawn as one batch, from the model's distribution sharpened
     * (temperature < 1) or flattened (> 1). Reported log-probabilities are under the model itself.
     */
    public static List<GeneratedCaption> sample(NextWordModel model, int n, double temperature, int maxLength, Random random) {
        return sample(model, n, temperature, maxLength, random, Decoding.PLAIN);
    }

    /**
     * {@link #sample(NextWordModel, int, double, int, Random)}, each word also with the most likely other words,
     * under the model itself (temperature 1) like the reported log-probabilities; with the trigram guard, words that
     * would repeat a trigram are not drawn (the others keep their relative weights).
     */
    public static List<GeneratedCaption> sample(NextWordModel model, int n, double temperature, int maxLength, Random random,
                                                Decoding decoding) {
        requirePositive(n, "n");
        requirePositive(maxLength, "maxLength");
        int alternatives = decoding.alternatives();
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive number");
        }
        NextWordModel.State state = model.initialState(n);
        int[][] words = new int[n][maxLength];
        float[][][] attention = new float[n][maxLength][];
        boolean attends = false;
        double[][] wordLogProbs = new double[n][maxLength];
        double[] endLogProbs = new double[n];
        Arrays.fill(endLogProbs, Double.NaN);
        WordChoice[][][] choices = alternatives > 0 ? new WordChoice[n][maxLength][] : null;
        int[] lengths = new int[n];
        double[] scores = new double[n];
        boolean[] done = new boolean[n];
        boolean[] complete = new boolean[n];
        int[] last = new int[n];
        Arrays.fill(last, Vocabulary.START_ID);
        for (int position = 0; position <= maxLength; position++) {
            NextWordModel.Step step = model.step(state, last);
            boolean anyLive = false;
            for (int row = 0; row < n; row++) {
                if (done[row]) {
                    continue;
                }
                double[] logProbs = step.logProbabilities()[row];
                int[] sofar = words[row];
                int length = lengths[row];
                int word = draw(logProbs, temperature, random, w -> !decoding.repeatsTrigram(sofar, length, w));
                if (word == Vocabulary.END_ID || position == maxLength) {
                    done[row] = true;
                    if (word == Vocabulary.END_ID) {
                        complete[row] = true;
                        scores[row] += logProbs[word];
                        endLogProbs[row] = logProbs[word];
                    }
                    continue;
                }
                scores[row] += logProbs[word];
                wordLogProbs[row][lengths[row]] = logProbs[word];
                if (choices != null) {
                    choices[row][lengths[row]] = alternativesTo(word, logProbs, alternatives);
                }
                attends = step.attention() != null;
                attention[row][lengths[row]] = attentionOf(step, row);
                words[row][lengths[row]++] = word;
                last[row] = word;
                anyLive = true;
            }
            if (!anyLive) {
                break;
            }
            state = step.state();
        }
        List<GeneratedCaption> results = new ArrayList<>(n);
        for (int row = 0; row < n; row++) {
            results.add(new GeneratedCaption(Arrays.copyOf(words[row], lengths[row]), scores[row], complete[row],
                    attends ? Arrays.copyOf(attention[row], lengths[row]) : null,
                    Arrays.copyOf(wordLogProbs[row], lengths[row]), endLogProbs[row],
                    choices == null ? null : Arrays.copyOf(choices[row], lengths[row])));
        }
        return results;
    }

    /** A word drawn from the generatable words {@code allowed} lets through, at the temperature. */
    private static int draw(double[] logProbs, double temperature, Random random, IntPredicate allowed) {
        double max = Double.NEGATIVE_INFINITY;
        for (int word = 0; word < logProbs.length; word++) {
            if (generatable(word) && allowed.test(word)) {
                max = Math.max(max, logProbs[word]);
            }
        }
        double[] weights = new double[logProbs.length];
        double total = 0;
        for (int word = 0; word < logProbs.length; word++) {
            if (generatable(word) && allowed.test(word)) {
                weights[word] = Math.exp((logProbs[word] - max) / temperature);
                total += weights[word];
            }
        }
        double target = random.nextDouble() * total;
        for (int word = 0; word < logProbs.length; word++) {
            target -= weights[word];
            if (target < 0 && weights[word] > 0) {
                return word;
            }
        }
        return Vocabulary.END_ID;
    }

    /**
     * The {@code k} most likely generatable words other than {@code chosen} (END among them: stopping there),
     * most likely first, ties by lower id; words the model gives no probability at all are no alternative.
     */
    static WordChoice[] alternativesTo(int chosen, double[] logProbs, int k) {
        PriorityQueue<WordChoice> best = new PriorityQueue<>(BY_LIKELIHOOD.reversed());
        for (int word = 0; word < logProbs.length; word++) {
            if (word == chosen || !generatable(word) || logProbs[word] == Double.NEGATIVE_INFINITY) {
                continue;
            }
            best.add(new WordChoice(word, logProbs[word]));
            if (best.size() > k) {
                best.poll();
            }
        }
        WordChoice[] choices = best.toArray(new WordChoice[0]);
        Arrays.sort(choices, BY_LIKELIHOOD);
        return choices;
    }

    /** Where row {@code row} looked at this step, or null for a model without attention. */
    private static float[] attentionOf(NextWordModel.Step step, int row) {
        return step.attention() == null ? null : step.attention()[row];
    }

    static boolean generatable(int word) {
        return word != Vocabulary.PAD_ID && word != Vocabulary.START_ID && word != Vocabulary.UNK_ID;
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1");
        }
    }

    /**
     * @param attention     where the model looked for each word, or null without attention
     * @param wordLogProbs  each word's log-probability at its step
     * @param alternatives  each word's alternatives, or null when none are asked for
     */
    private record Beam(int[] words, double score, float[][] attention, double[] wordLogProbs,
                        WordChoice[][] alternatives) {
        int lastWord() {
            return words.length == 0 ? Vocabulary.START_ID : words[words.length - 1];
        }

        Beam extend(int word, double newScore, float[] map, double wordLogProb, WordChoice[] choices) {
            int[] extended = Arrays.copyOf(words, words.length + 1);
            extended[words.length] = word;
            float[][] maps = null;
            if (map != null) {
                maps = attention == null ? new float[1][] : Arrays.copyOf(attention, attention.length + 1);
                maps[words.length] = map;
            }
            double[] logProbs = Arrays.copyOf(wordLogProbs, wordLogProbs.length + 1);
            logProbs[words.length] = wordLogProb;
            WordChoice[][] extendedChoices = null;
            if (alternatives != null) {
                extendedChoices = Arrays.copyOf(alternatives, alternatives.length + 1);
                extendedChoices[words.length] = choices;
            }
            return new Beam(extended, newScore, maps, logProbs, extendedChoices);
        }

        /** This hypothesis finished by END, of this log-probability. */
        GeneratedCaption ended(double endLogProb) {
            return new GeneratedCaption(words, score + endLogProb, true, attention, wordLogProbs, endLogProb, alternatives);
        }

        /** This hypothesis stopped by the length limit. */
        GeneratedCaption cut() {
            return new GeneratedCaption(words, score, false, attention, wordLogProbs, Double.NaN, alternatives);
        }
    }

    private record Candidate(int row, int word, double score) {
    }
}
