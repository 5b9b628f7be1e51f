package dev.captioner.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.captioner.language.CaptionTokenizer;
import dev.captioner.language.Vocabulary;

/** A COCO captions file resolved against its image folder: image files and their tokenised captions. */
public record CaptionCorpus(List<Path> imageFiles, List<Long> imageIds, List<List<List<String>>> captions) {

    public static CaptionCorpus of(CocoCaptions coco, Path imagesDir) {
        List<Path> files = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<List<List<String>>> captions = new ArrayList<>();
        for (Map.Entry<CocoCaptions.Image, List<String>> entry : coco.captionsByImage().entrySet()) {
            files.add(imagesDir.resolve(entry.getKey().fileName()));
            ids.add(entry.getKey().id());
            captions.add(entry.getValue().stream().map(CaptionTokenizer::tokenize).toList());
        }
        return new CaptionCorpus(files, ids, captions);
    }

    public List<List<String>> allCaptions() {
        return captions.stream().flatMap(List::stream).toList();
    }

    /**
     * One example per caption of every image that has features; {@code rowOffset} places this corpus's
     * images within a larger feature matrix.
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
