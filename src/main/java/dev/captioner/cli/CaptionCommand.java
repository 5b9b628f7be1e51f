package dev.captioner.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.config.JsonFiles;
import dev.captioner.dataset.CocoCaptions;
import dev.captioner.dataset.ImageIds;
import dev.captioner.language.CaptionOptions;
import dev.captioner.language.CaptionResultEntry;
import dev.captioner.language.Captioner;
import dev.captioner.language.InvalidCaptionOptionsException;
import dev.captioner.serving.ActiveModel;
import dev.captioner.serving.ModelRuntime;
import dev.captioner.store.AtomicFiles;
import dev.captioner.store.ModelStore;
import dev.captioner.training.FeatureExtractor;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.Vgg16Fc7Encoder;
import dev.captioner.weights.WeightsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code caption}: captions every image of a folder with the active model (the best of a beam of 3) in batches
 * through VGG16, and writes COCO results format, ready for {@code evaluate}. Image ids come from the annotations
 * file when given (matched by file name), otherwise from the last number in the file name, as in COCO's.
 */
@Command(name = "caption", mixinStandardHelpOptions = true, versionProvider = CaptionerVersion.class,
        sortOptions = false, description = "Captions every image in a folder with the active model (the best of a "
        + "beam of 3) and writes COCO results format ([{\"image_id\": .., \"caption\": \"..\"}]), ready for evaluate.")
final class CaptionCommand implements Callable<Integer> {

    private static final int BATCH = 16;

    @Spec
    CommandSpec spec;

    @Option(names = "--images", paramLabel = "DIR", required = true, description = "the folder of images (.jpg, .png, .gif, .bmp)")
    Path imagesDir;

    @Option(names = "--output", paramLabel = "RESULTS.json", required = true, description = "where to write the results")
    Path output;

    @Option(names = "--annotations", paramLabel = "CAPTIONS.json", description = "COCO captions file giving each file name its image id "
            + "(default: the last number in the file name)")
    Path annotations;

    @Option(names = "--attention", description = "also write, for each caption of an attention model, every "
            + "token's attention map as rows x columns weights")
    boolean attention;

    @Option(names = "--alternatives", paramLabel = "K", description = "also write every token's log-probability and "
            + "the K most likely other words at its step (0..10; default 0: neither)")
    int alternatives;

    @Option(names = "--length-penalty", paramLabel = "none|gnmt|average", defaultValue = "none",
            description = "how the beam ranks captions of different lengths: none (log-probability, the default), gnmt "
                    + "(over ((5 + length) / 6)^alpha) or average (per step)")
    String lengthPenalty;

    @Option(names = "--length-penalty-alpha", paramLabel = "ALPHA", description = "alpha of --length-penalty gnmt "
            + "(0..2, default 0.6)")
    Double lengthPenaltyAlpha;

    @Option(names = "--block-repeated-trigrams", description = "no caption repeats a word trigram it already has")
    boolean blockRepeatedTrigrams;

    @Mixin
    FolderOptions folders;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(imagesDir)) {
            err.println("caption: " + imagesDir + " is not a folder");
            return 1;
        }
        CaptionOptions options;
        try {
            options = CaptionOptions.bestOfBeam(1, lengthPenalty, lengthPenaltyAlpha, alternatives,
                    blockRepeatedTrigrams);
        } catch (InvalidCaptionOptionsException e) {
            err.println("caption: " + e.getMessage());
            return 1;
        }
        Map<Path, Long> ids = imageIds(imagesDir, annotations, err);
        if (ids.isEmpty()) {
            err.println("caption: no images with an id in " + imagesDir);
            return 1;
        }
        CaptionerProperties properties = CaptionerSettings.load(folders.overrides());
        ModelRuntime runtime = new ModelRuntime(new ModelStore(properties.modelsDir()),
                (weights, layer) -> Vgg16Fc7Encoder.create(weights, layer, WeightsSettings.imagenet(properties)), properties);
        if (!runtime.loadActiveAtStartup()) {
            err.println("caption: " + runtime.unavailableReason());
            return 1;
        }
        ActiveModel active = runtime.require();
        if (attention && !active.model().hasAttention()) {
            err.println("caption: --attention: the active model '" + active.model().id() + "' has no attention (its "
                    + "decoder is '" + active.model().decoder().kind() + "')");
            return 1;
        }

        List<Path> files = new ArrayList<>(ids.keySet());
        FeatureExtractor extractor = new FeatureExtractor(new ImageDecoder(properties.maxPixels()));
        long start = System.nanoTime();
        ProgressPrinter progress = ProgressPrinter.to(err);
        FeatureExtractor.Result features = extractor.extract(files, active.encoder(), BATCH,
                done -> progress.update("captioning " + ProgressPrinter.bar((double) done / files.size()) + " "
                        + done + "/" + files.size() + " images", (double) done / files.size()));
        progress.finish();
        Captioner captioner = active.model().captioner();
        CaptionOptions best = options.withMaxLength(active.model().manifest().decoder().maxLength());
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (features.features()[i] == null) {
                continue;
            }
            Captioner.Caption caption = captioner.captions(features.features()[i], best).get(0);
            results.add(CaptionResultEntry.of(ids.get(files.get(i)), caption, captioner.attentionGrid(), attention,
                    alternatives));
        }
        Path temp = output.toAbsolutePath().resolveSibling(output.getFileName() + ".tmp");
        Files.writeString(temp, JsonFiles.MAPPER.writeValueAsString(results));
        AtomicFiles.move(temp, output.toAbsolutePath());
        out.printf("captioned %d images with %s in %.1f s (%d unreadable skipped) -> %s%n", results.size(),
                active.model().id(), (System.nanoTime() - start) / 1e9, features.skipped(), output);
        return 0;
    }

    private static Map<Path, Long> imageIds(Path imagesDir, Path annotations, PrintWriter err) throws IOException {
        Map<String, Long> byName = new LinkedHashMap<>();
        if (annotations != null) {
            CocoCaptions.read(annotations).images().forEach(image -> byName.put(image.fileName(), image.id()));
        }
        Map<Path, Long> ids = new LinkedHashMap<>();
        int withoutId = 0;
        try (Stream<Path> list = Files.list(imagesDir)) {
            for (Path file : list.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (!ImageIds.isImageName(name)) {
                    continue;
                }
                Long id = annotations != null ? byName.get(name) : ImageIds.numberIn(name).orElse(null);
                if (id == null) {
                    withoutId++;
                } else {
                    ids.put(file, id);
                }
            }
        }
        if (withoutId > 0) {
            err.println("caption: " + withoutId + " images skipped: no image id for them"
                    + (annotations != null ? " in " + annotations : " (no number in the file name)"));
        }
        return ids;
    }
}
