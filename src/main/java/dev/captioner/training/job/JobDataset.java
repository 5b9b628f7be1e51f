package dev.captioner.training.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.captioner.config.DataDirectory;
import dev.captioner.dataset.CocoCaptions;
import dev.captioner.dataset.KarpathySplit;
import dev.captioner.training.CaptionCorpus;

/**
 * A job's images and captions: the training corpus and the validation corpus (given, Karpathy's
 * {@code val} split, or a seeded held-out slice). Rows of the job's feature matrix are the training images
 * followed by the validation images.
 */
record JobDataset(CaptionCorpus train, CaptionCorpus validation, String validationSource) {

    static final int MAX_HELD_OUT = 5000;
    private static final List<String> KARPATHY_TRAIN = List.of("train", "restval");

    static JobDataset load(TrainingJobRequest request, DataDirectory data) throws IOException {
        TrainingJobRequest.Dataset spec = request.dataset();
        Path annotations = data.existingFile(spec.annotations(), "dataset.annotations");
        Path images = data.existingFolder(spec.images(), "dataset.images");
        CaptionCorpus train;
        CaptionCorpus validation = null;
        String source;
        if (isKarpathy(spec, annotations)) {
            KarpathySplit split = KarpathySplit.read(annotations);
            train = CaptionCorpus.of(split.images(images, KARPATHY_TRAIN));
            if (request.validation() == null && split.count("val") > 0) {
                validation = CaptionCorpus.of(split.images(images, List.of("val")));
            }
            source = "karpathy val split";
        } else {
            train = CaptionCorpus.of(CocoCaptions.read(annotations).images(images));
            source = "given";
        }
        if (request.validation() != null) {
            validation = read(request.validation(), data);
            source = "given";
        }
        if (train.size() == 0) {
            throw new IOException(spec.annotations() + " has no training images with captions");
        }
        if (validation == null || validation.size() == 0) {
            CaptionCorpus[] split = train.holdOut(request.validationFraction(), MAX_HELD_OUT, request.seed());
            train = split[0];
            validation = split[1];
            source = "held out " + validation.size() + " of the training images";
        }
        return new JobDataset(train, validation, source);
    }

    private static CaptionCorpus read(TrainingJobRequest.Dataset spec, DataDirectory data) throws IOException {
        Path annotations = data.existingFile(spec.annotations(), "validation.annotations");
        Path images = data.existingFolder(spec.images(), "validation.images");
        if (isKarpathy(spec, annotations)) {
            return CaptionCorpus.of(KarpathySplit.read(annotations).images(images, List.of("val")));
        }
        return CaptionCorpus.of(CocoCaptions.read(annotations).images(images));
    }

    /** Karpathy's file has {@code sentences} in its first image record; COCO's files never do. */
    static boolean isKarpathy(TrainingJobRequest.Dataset spec, Path annotations) throws IOException {
        if (spec.format() != null) {
            return spec.format().equals("karpathy");
        }
        try (InputStream in = Files.newInputStream(annotations)) {
            String head = new String(in.readNBytes(1 << 16), StandardCharsets.UTF_8);
            return head.contains("\"sentences\"");
        }
    }

    List<Path> allImages() {
        List<Path> all = new ArrayList<>(train.imageFiles());
        all.addAll(validation.imageFiles());
        return all;
    }
}
