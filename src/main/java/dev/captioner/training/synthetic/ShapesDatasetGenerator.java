package dev.captioner.training.synthetic;

import dev.captioner.config.JsonFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import javax.imageio.ImageIO;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates a synthetic captioning dataset: one coloured shape per image on a light background, five
 * COCO-style captions each. All choices come from one random stream seeded by the constructor, so a fresh
 * generator with the same seed, given the same calls, produces byte-identical images and files.
 */
public final class ShapesDatasetGenerator {

    public static final int MIN_SIDE = 192;
    public static final int MAX_SIDE = 320;
    public static final String IMAGES_FOLDER = "images";
    public static final String ANNOTATIONS_FILE = "captions.json";
    public static final String SCENES_FILE = "scenes.json";

    // The jitter and background ranges are shared with ScenesDatasetGenerator, so both datasets look alike.
    static final int COLOUR_JITTER = 20;
    // Every background channel stays in this range, far above any shape colour's darkest channel.
    static final int BACKGROUND_MIN = 200;
    static final int BACKGROUND_MAX = 250;
    static final int GRADIENT_SPREAD = 20;
    // Keeps the shape's centre clearly inside its third, not on the border with the next one.
    private static final double THIRD_MARGIN = 0.01;

    private static final JsonMapper JSON = JsonFiles.MAPPER;

    private final long seed;
    private final SeededDraws random;

    public ShapesDatasetGenerator(long seed) {
        this.seed = seed;
        this.random = new SeededDraws(seed);
    }

    /** Uniform over colours, kinds, sizes and positions; the image is 192 to 320 pixels on each side. */
    public SyntheticScene randomScene() {
        ShapeColour colour = random.pick(ShapeColour.values());
        ShapeKind kind = random.pick(ShapeKind.values());
        ShapeSize size = random.pick(ShapeSize.values());
        ShapePosition position = random.pick(ShapePosition.values());
        int width = random.between(MIN_SIDE, MAX_SIDE);
        int height = random.between(MIN_SIDE, MAX_SIDE);
        double extent = Math.min(width, height) * random.uniform(size.minFraction(), size.maxFraction());
        double half = extent / 2;
        // Never an empty range: half the extent is at most 0.3 of the width, while the margined left third
        // reaches 0.323 of it (and the right third mirrors that).
        double centreX = random.uniform(Math.max(position.from(width) + THIRD_MARGIN * width, half),
                Math.min(position.to(width) - THIRD_MARGIN * width, width - half));
        double centreY = random.uniform(half, height - half);
        int shapeRgb = rgb(random.jitter(colour.red(), COLOUR_JITTER), random.jitter(colour.green(), COLOUR_JITTER),
                random.jitter(colour.blue(), COLOUR_JITTER));
        int[] from = {random.between(BACKGROUND_MIN, BACKGROUND_MAX), random.between(BACKGROUND_MIN, BACKGROUND_MAX),
                random.between(BACKGROUND_MIN, BACKGROUND_MAX)};
        int[] to = new int[3];
        for (int c = 0; c < 3; c++) {
            to[c] = SeededDraws.clamp(from[c] + random.between(-GRADIENT_SPREAD, GRADIENT_SPREAD),
                    BACKGROUND_MIN, BACKGROUND_MAX);
        }
        double gradientAngle = random.nextDouble() * 2 * Math.PI;
        return new SyntheticScene(colour, kind, size, position, width, height, centreX, centreY, extent, shapeRgb,
                rgb(from[0], from[1], from[2]), rgb(to[0], to[1], to[2]), gradientAngle);
    }

    /** Draws the scene: the background gradient, then the antialiased shape. */
    public static BufferedImage render(SyntheticScene scene) {
        int width = scene.width();
        int height = scene.height();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, gradient(width, height, scene.backgroundFromRgb(), scene.backgroundToRgb(),
                scene.gradientAngle()), 0, width);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(new Color(scene.shapeRgb()));
            g.fill(outline(scene.kind(), scene.centreX(), scene.centreY(), scene.extent()));
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Five captions from different templates; every one names the colour. */
    public static List<String> captions(SyntheticScene scene, Random random) {
        return ShapeCaptions.write(scene, random);
    }

    /** Scenes, images and captions without touching the disk, e.g. fresh held-out images for a test. */
    public List<SyntheticExample> generateInMemory(int count) {
        List<SyntheticExample> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SyntheticScene scene = randomScene();
            examples.add(new SyntheticExample(scene, render(scene), captions(scene, random)));
        }
        return examples;
    }

    /**
     * Writes {@code count} images numbered from {@code firstImageId} as {@code dir/images/synthetic_NNNNNN.png},
     * their captions as {@code dir/captions.json} (COCO captions format) and the ground truth as
     * {@code dir/scenes.json}. Files of an earlier run with the same names are replaced.
     */
    public GeneratedDataset generate(Path dir, int count, int firstImageId) throws IOException {
        Path imagesDir = dir.resolve(IMAGES_FOLDER);
        Files.createDirectories(imagesDir);
        List<GeneratedDataset.Image> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int imageId = firstImageId + i;
            String fileName = String.format(Locale.ROOT, "synthetic_%06d.png", imageId);
            SyntheticScene scene = randomScene();
            List<String> captions = captions(scene, random);
            BufferedImage image = render(scene);
            writeAtomically(imagesDir.resolve(fileName), file -> {
                if (!ImageIO.write(image, "png", file.toFile())) {
                    throw new IOException("this Java runtime has no PNG writer");
                }
            });
            images.add(new GeneratedDataset.Image(imageId, fileName, scene, captions));
        }
        Path scenesFile = dir.resolve(SCENES_FILE);
        writeJson(scenesFile, scenesJson(images));
        // Written last, so a captions file on disk always has all its images and ground truth beside it.
        Path annotationsFile = dir.resolve(ANNOTATIONS_FILE);
        writeJson(annotationsFile, cocoJson(images));
        return new GeneratedDataset(dir, annotationsFile, imagesDir, scenesFile, List.copyOf(images));
    }

    private ObjectNode cocoJson(List<GeneratedDataset.Image> images) {
        List<CocoCaptionsJson.Entry> entries = images.stream().map(image -> new CocoCaptionsJson.Entry(image.imageId(),
                image.fileName(), image.scene().width(), image.scene().height(), image.captions())).toList();
        return CocoCaptionsJson.of("Synthetic coloured shapes, one per image, "
                + ShapeCaptions.PER_IMAGE + " captions each",
                "captioner ShapesDatasetGenerator", seed, ShapeCaptions.PER_IMAGE, entries);
    }

    private static ObjectNode scenesJson(List<GeneratedDataset.Image> images) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode scenes = root.putArray("scenes");
        for (GeneratedDataset.Image image : images) {
            SyntheticScene scene = image.scene();
            scenes.addObject()
                    .put("image_id", image.imageId())
                    .put("file_name", image.fileName())
                    .put("colour", scene.colour().word())
                    .put("kind", scene.kind().word())
                    .put("size", scene.size().word())
                    .put("position", scene.position().word());
        }
        return root;
    }

    interface FileWriter {
        void writeTo(Path file) throws IOException;
    }

    static void writeJson(Path target, ObjectNode json) throws IOException {
        writeAtomically(target, file -> Files.write(file, JSON.writeValueAsBytes(json)));
    }

    /** A reader, or a rerun after a crash, sees each file whole or not at all. */
    static void writeAtomically(Path target, FileWriter writer) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            writer.writeTo(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A linear gradient from {@code from} to {@code to} (0xRRGGBB) across the image, in direction {@code angle}. */
    static int[] gradient(int width, int height, int from, int to, double angle) {
        // StrictMath, so the same scene gives the same pixels on every JVM.
        double dx = StrictMath.cos(angle);
        double dy = StrictMath.sin(angle);
        double start = Math.min(0, width * dx) + Math.min(0, height * dy);
        double span = Math.abs(width * dx) + Math.abs(height * dy);
        int[] pixels = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double t = ((x + 0.5) * dx + (y + 0.5) * dy - start) / span;
                pixels[y * width + x] = rgb(mix(from >> 16, to >> 16, t), mix(from >> 8, to >> 8, t), mix(from, to, t));
            }
        }
        return pixels;
    }

    private static int mix(int from, int to, double t) {
        int a = from & 0xFF;
        int b = to & 0xFF;
        return (int) Math.round(a + (b - a) * t);
    }

    /** The shape of {@code kind} filling the square box of side {@code extent} around the centre. */
    static Shape outline(ShapeKind kind, double centreX, double centreY, double extent) {
        double half = extent / 2;
        double left = centreX - half;
        double top = centreY - half;
        return switch (kind) {
            case CIRCLE -> new Ellipse2D.Double(left, top, extent, extent);
            case SQUARE -> new Rectangle2D.Double(left, top, extent, extent);
            case TRIANGLE -> {
                Path2D.Double triangle = new Path2D.Double();
                triangle.moveTo(centreX, top);
                triangle.lineTo(left + extent, top + extent);
                triangle.lineTo(left, top + extent);
                triangle.closePath();
                yield triangle;
            }
        };
    }

    static int rgb(int red, int green, int blue) {
        return (red & 0xFF) << 16 | (green & 0xFF) << 8 | blue & 0xFF;
    }
}
