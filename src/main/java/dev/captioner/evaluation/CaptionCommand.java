package dev.captioner.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.dataset.CocoCaptions;
import dev.captioner.language.Captioner;
import dev.captioner.serving.ActiveModel;
import dev.captioner.serving.ModelRuntime;
import dev.captioner.store.ModelStore;
import dev.captioner.training.FeatureExtractor;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.Vgg16Fc7Encoder;
import dev.captioner.weights.WeightsSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code caption --images DIR --output results.json [--annotations CAPTIONS.json] [--models DIR]}: captions
 * every image of a folder with the active model (beam search, beam 3) in batches through VGG16, and writes
 * COCO results format, ready for {@code evaluate}. Image ids come from the annotations file when given
 * (matched by file name), otherwise from the last number in the file name, as in COCO's file names.
 */
public final class CaptionCommand {

    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)(?!.*\\d)");
    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".gif", ".bmp");
    private static final int BATCH = 16;

    private CaptionCommand() {
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            flags.put(args[i], args[i + 1]);
        }
        if (args.length % 2 != 0 || !flags.containsKey("--images") || !flags.containsKey("--output")
                || !List.of("--images", "--output", "--annotations", "--models").containsAll(flags.keySet())) {
            err.println("usage: caption --images DIR --output RESULTS.json [--annotations CAPTIONS.json] [--models DIR]");
            return 2;
        }
        Path imagesDir = Path.of(flags.get("--images"));
        Path output = Path.of(flags.get("--output"));
        Path modelsDir = Path.of(flags.getOrDefault("--models",
                System.getenv().getOrDefault("CAPTIONER_MODELS_DIR", "models")));
        try {
            if (!Files.isDirectory(imagesDir)) {
                err.println("caption: " + imagesDir + " is not a folder");
                return 1;
            }
            Map<Path, Long> ids = imageIds(imagesDir, flags.get("--annotations"), err);
            if (ids.isEmpty()) {
                err.println("caption: no images with an id in " + imagesDir);
                return 1;
            }
            CaptionerProperties properties = CaptionerProperties.defaults(modelsDir);
            ModelRuntime runtime = new ModelRuntime(new ModelStore(modelsDir),
                    weights -> Vgg16Fc7Encoder.create(weights, WeightsSettings.imagenet(properties)), properties);
            runtime.loadActiveAtStartup();
            ActiveModel active = runtime.require();

            List<Path> files = new ArrayList<>(ids.keySet());
            FeatureExtractor extractor = new FeatureExtractor(new ImageDecoder(properties.maxPixels()), active.encoder(), BATCH);
            long start = System.nanoTime();
            FeatureExtractor.Result features = extractor.extract(files, done -> progress(err, done, files.size()));
            err.println();
            List<Map<String, Object>> results = new ArrayList<>();
            Captioner captioner = active.model().captioner();
            for (int i = 0; i < files.size(); i++) {
                if (features.features()[i] == null) {
                    continue;
                }
                Captioner.Caption best = captioner.best(features.features()[i], active.model().manifest().decoder().maxLength());
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("image_id", ids.get(files.get(i)));
                result.put("caption", best.text());
                results.add(result);
            }
            Path temp = output.toAbsolutePath().resolveSibling(output.getFileName() + ".tmp");
            Files.writeString(temp, JsonMapper.builder().build().writeValueAsString(results));
            Files.move(temp, output.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.printf("captioned %d images with %s in %.1f s (%d unreadable skipped) -> %s%n", results.size(),
                    active.model().id(), (System.nanoTime() - start) / 1e9, features.skipped(), output);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("caption: " + e.getMessage());
            return 1;
        }
    }

    private static Map<Path, Long> imageIds(Path imagesDir, String annotations, PrintStream err) throws IOException {
        Map<String, Long> byName = new LinkedHashMap<>();
        if (annotations != null) {
            CocoCaptions.read(Path.of(annotations)).images().forEach(image -> byName.put(image.fileName(), image.id()));
        }
        Map<Path, Long> ids = new LinkedHashMap<>();
        int withoutId = 0;
        try (Stream<Path> list = Files.list(imagesDir)) {
            for (Path file : list.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (EXTENSIONS.stream().noneMatch(name.toLowerCase(Locale.ROOT)::endsWith)) {
                    continue;
                }
                Long id = annotations != null ? byName.get(name) : numberIn(name);
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

    private static Long numberIn(String fileName) {
        Matcher matcher = LAST_NUMBER.matcher(fileName);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : null;
    }

    private static void progress(PrintStream err, int done, int total) {
        int width = 30;
        int filled = (int) ((long) width * done / total);
        err.printf("\rcaptioning [%s%s] %d/%d", "=".repeat(filled), " ".repeat(width - filled), done, total);
        err.flush();
    }
}
