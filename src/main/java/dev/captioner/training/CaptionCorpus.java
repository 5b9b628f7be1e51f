package dev.captioner.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import dev.captioner.dataset.CaptionedImage;
import dev.captioner.language.PtbTokenizer;
import dev.captioner.language.Vocabulary;

/** Image files and their tokenised captions (tokenised like the evaluation tokenises them). */
public record CaptionCorpus(List<Path> imageFiles, List<Long> imageIds, List<List<List<String>>> captions) {

    private static final PtbTokenizer TOKENIZER = new PtbTokenizer();

    /** The images that have captions, their captions tokenised. */
    public static CaptionCorpus of(List<CaptionedImage> images) {
        Builder builder = new Builder();
        images.forEach(image -> builder.add(image.file(), image.id(), image.captions()));
        return builder.build();
    }

    /** Collects images in order, tokenising their raw captions. */
    private static final class Builder {
        private final List<Path> files = new ArrayList<>();
        private final List<Long> ids = new ArrayList<>();
        private final List<List<List<String>>> captions = new ArrayList<>();

        Builder add(Path file, long id, List<String> rawCaptions) {
            if (!rawCaptions.isEmpty()) {
                files.add(file);
                ids.add(id);
                captions.add(rawCaptions.stream().map(TOKENIZER::tokenize).toList());
            }
            return this;
        }

        Builder addTokenized(Path file, long id, List<List<String>> tokenizedCaptions) {
            files.add(file);
            ids.add(id);
            captions.add(tokenizedCaptions);
            return this;
        }

        CaptionCorpus build() {
            return new CaptionCorpus(List.copyOf(files), List.copyOf(ids), List.copyOf(captions));
        }
    }

    public int size() {
        return imageFiles.size();
    }

    public List<List<String>> allCaptions() {
        return captions.stream().flatMap(List::stream).toList();
    }

    /** Each image's captions as space-joined token strings: the references the evaluation scores against. */
    public List<List<String>> references() {
        return captions.stream().map(list -> list.stream().map(tokens -> String.join(" ", tokens)).toList()).toList();
    }

    /**
     * Splits off a validation slice of {@code fraction} of the images (at least one, at most {@code max}),
     * chosen by a seeded shuffle so the same corpus always yields the same split.
     *
     * @return {train, validation}
     */
    public CaptionCorpus[] holdOut(double fraction, int max, long seed) {
        int size = size();
        if (size < 2) {
            throw new IllegalArgumentException("need at least 2 images to hold out a validation slice, got " + size);
        }
        int count = (int) Math.max(1, Math.min(max, Math.round(size * fraction)));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        boolean[] held = new boolean[size];
        order.subList(0, Math.min(count, size - 1)).forEach(i -> held[i] = true);
        Builder train = new Builder();
        Builder validation = new Builder();
        for (int i = 0; i < size; i++) {
            (held[i] ? validation : train).addTokenized(imageFiles.get(i), imageIds.get(i), captions.get(i));
        }
        return new CaptionCorpus[] {train.build(), validation.build()};
    }

    /**
     * One example per caption of every image that has features ({@code features}: this corpus's rows, null
     * for skipped images); {@code rowOffset} places this corpus's images within a larger feature matrix.
     */
    public List<CaptionExample> examples(Vocabulary vocabulary, int maxLength, float[][] features, int rowOffset) {
        List<CaptionExample> examples = new ArrayList<>();
        for (int i = 0; i < captions.size(); i++) {
            if (features[i] == null) {
                continue;
            }
            for (List<String> caption : captions.get(i)) {
                examples.add(new CaptionExample(rowOffset + i, vocabulary.encode(caption, maxLength)));
            }
        }
        return examples;
    }
}
