package dev.captioner.training.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.captioner.config.DataDirectory;
import dev.captioner.dataset.CaptionedImage;
import dev.captioner.dataset.CocoCaptions;
import dev.captioner.dataset.KarpathySplit;

/**
 * A job's dataset sized at submit time, for its memory estimate, without the tokenising the prepare step does:
 * the annotation files' size, how many captioned images exist as files (only those get feature rows), and the
 * vocabulary counted on words split at anything but letters and digits (close to the PTB tokenizer's count,
 * which the train step checks again exactly).
 */
record DatasetSurvey(long annotationBytes, long existingImages, long vocabularySize) {

    private static final Pattern WORD_BREAK = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final int RESERVED_WORDS = 4;
    private static final List<String> KARPATHY_TRAIN = List.of("train", "restval");

    static DatasetSurvey of(TrainingJobRequest request, DataDirectory data) throws IOException {
        List<CaptionedImage> train = images(request.dataset(), data, "dataset",
                request.validation() == null ? List.of("train", "restval", "val") : KARPATHY_TRAIN);
        List<CaptionedImage> all = new ArrayList<>(train);
        long bytes = Files.size(data.existingFile(request.dataset().annotations(), "dataset.annotations"));
        if (request.validation() != null) {
            all.addAll(images(request.validation(), data, "validation", List.of("val")));
            bytes += Files.size(data.existingFile(request.validation().annotations(), "validation.annotations"));
        }
        long existing = all.stream().filter(image -> Files.isRegularFile(image.file())).count();
        Map<String, Integer> counts = new HashMap<>();
        for (CaptionedImage image : train) {
            for (String caption : image.captions()) {
                for (String word : WORD_BREAK.split(caption.toLowerCase(Locale.ROOT))) {
                    if (!word.isEmpty()) {
                        counts.merge(word, 1, Integer::sum);
                    }
                }
            }
        }
        long words = counts.values().stream().filter(count -> count >= request.minWordCount()).count();
        return new DatasetSurvey(bytes, existing, words + RESERVED_WORDS);
    }

    private static List<CaptionedImage> images(TrainingJobRequest.Dataset spec, DataDirectory data, String field,
                                               List<String> karpathySplits) throws IOException {
        Path annotations = data.existingFile(spec.annotations(), field + ".annotations");
        Path images = data.existingFolder(spec.images(), field + ".images");
        if (JobDataset.isKarpathy(spec, annotations)) {
            return KarpathySplit.read(annotations).images(images, karpathySplits);
        }
        return CocoCaptions.read(annotations).images(images);
    }
}
