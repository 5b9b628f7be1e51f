package dev.captioner.training.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.captioner.config.DataDirectory;
import dev.captioner.dataset.CaptionedImage;
import dev.captioner.dataset.CocoCaptions;
import dev.captioner.dataset.DatasetFiles;
import dev.captioner.dataset.KarpathySplit;
import dev.captioner.dataset.RefusedFileException;
import dev.captioner.dataset.RejectedEntry;
import dev.captioner.training.CaptionCorpus;

/**
 * A job's images and captions: the training corpus and the validation corpus (given, Karpathy's
 * {@code val} split, or a seeded held-out slice). Rows of the job's feature matrix are the training images
 * followed by the validation images. Entries that name no image the job may open (no usable file name, a link
 * out of the data directory, a FIFO, a path through a file) are left out here, each with its reason in
 * {@code rejected}, so that neither the feature step nor training ever meets them.
 */
record JobDataset(CaptionCorpus train, CaptionCorpus validation, String validationSource,
                  List<RejectedEntry> rejected) {

    static final int MAX_HELD_OUT = 5000;
    private static final List<String> KARPATHY_TRAIN = List.of("train", "restval");

    static JobDataset load(TrainingJobRequest request, DataDirectory data) throws IOException {
        DatasetFiles files = new DatasetFiles(data);
        List<RejectedEntry> rejected = new ArrayList<>();
        TrainingJobRequest.Dataset spec = request.dataset();
        Path annotations = annotationsFile(spec, "dataset.annotations", data, files);
        Path images = data.existingFolder(spec.images(), "dataset.images");
        CaptionCorpus train;
        CaptionCorpus validation = null;
        String source;
        if (isKarpathy(spec, annotations)) {
            KarpathySplit split = KarpathySplit.read(annotations);
            train = corpus(split.images(images, KARPATHY_TRAIN, rejected::add), files, data, rejected);
            if (request.validation() == null && split.count("val") > 0) {
                int before = rejected.size();
                validation = corpus(split.images(images, List.of("val"), rejected::add), files, data, rejected);
                requireUsable(validation, rejected.subList(before, rejected.size()), "the val split of "
                        + spec.annotations());
            }
            source = "karpathy val split";
        } else {
            train = corpus(CocoCaptions.read(annotations).images(images, rejected::add), files, data, rejected);
            source = "given";
        }
        if (request.validation() != null) {
            int before = rejected.size();
            validation = read(request.validation(), data, files, rejected);
            requireUsable(validation, rejected.subList(before, rejected.size()), request.validation().annotations());
            source = "given";
        }
        if (train.size() == 0) {
            throw new IOException(spec.annotations() + " has no training images with captions"
                    + (rejected.isEmpty() ? "" : " that can be read (" + rejected.size() + " left out, e.g. "
                    + rejected.get(0).shownName() + ": " + rejected.get(0).reason() + ")"));
        }
        if (validation == null || validation.size() == 0) {
            CaptionCorpus[] split = train.holdOut(request.validationFraction(), MAX_HELD_OUT, request.seed());
            train = split[0];
            validation = split[1];
            source = "held out " + validation.size() + " of the training images";
        }
        return new JobDataset(train, validation, source, List.copyOf(rejected));
    }

    private static CaptionCorpus read(TrainingJobRequest.Dataset spec, DataDirectory data, DatasetFiles files,
                                      List<RejectedEntry> rejected) throws IOException {
        Path annotations = annotationsFile(spec, "validation.annotations", data, files);
        Path images = data.existingFolder(spec.images(), "validation.images");
        if (isKarpathy(spec, annotations)) {
            return corpus(KarpathySplit.read(annotations).images(images, List.of("val"), rejected::add), files, data,
                    rejected);
        }
        return corpus(CocoCaptions.read(annotations).images(images, rejected::add), files, data, rejected);
    }

    /**
     * Validation images that were asked for but are all unusable end the job here, in words, rather than after
     * training (a validation set without captions is held out from the training images, as before).
     */
    private static void requireUsable(CaptionCorpus validation, List<RejectedEntry> rejected, String what)
            throws IOException {
        if (validation.size() == 0 && !rejected.isEmpty()) {
            throw new IOException("none of the " + rejected.size() + " validation images in " + what
                    + " can be used (e.g. " + rejected.get(0).shownName() + ": " + rejected.get(0).reason()
                    + "), so the trained model could not be validated; fix those images, or leave 'validation' out "
                    + "to hold out a slice of the training images");
        }
    }

    /** Checked when the job was submitted, and again now: the folder may have changed while it was queued. */
    private static Path annotationsFile(TrainingJobRequest.Dataset spec, String field, DataDirectory data,
                                        DatasetFiles files) throws IOException {
        try {
            return files.realRegularFile(data.existingFile(spec.annotations(), field));
        } catch (RefusedFileException e) {
            throw new IOException("'" + field + "' (" + spec.annotations() + "): " + e.getMessage(), e);
        }
    }

    /** The images the job may open; a missing one stays, to be counted missing when its features are made. */
    private static CaptionCorpus corpus(List<CaptionedImage> images, DatasetFiles files, DataDirectory data,
                                        List<RejectedEntry> rejected) {
        List<CaptionedImage> usable = new ArrayList<>(images.size());
        for (CaptionedImage image : images) {
            Optional<String> problem = files.problem(image.file());
            if (problem.isPresent()) {
                rejected.add(new RejectedEntry(data.relativeName(image.file()), problem.get()));
            } else {
                usable.add(image);
            }
        }
        return CaptionCorpus.of(usable);
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
