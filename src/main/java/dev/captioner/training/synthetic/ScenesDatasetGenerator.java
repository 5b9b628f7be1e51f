package dev.captioner.training.synthetic;

import dev.captioner.config.JsonFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates a synthetic captioning dataset of scenes: one to four coloured shapes per image at places whose boxes
 * do not intersect, on the shapes dataset's light gradients, five COCO-style captions each that name colours,
 * shapes, sizes, counts and relations. The data an attention model must look in the right place to caption.
 * All choices come from one random stream seeded by the constructor, so a fresh generator with the same seed,
 * given the same calls, produces byte-identical images and files.
 */
public final class ScenesDatasetGenerator {

    public static final int MIN_SIDE = 224;
    public static final int MAX_SIDE = 320;
    public static final String IMAGES_FOLDER = "images";
    public static final String ANNOTATIONS_FILE = "captions.json";
    public static final String SCENES_FILE = "scenes.json";

    // Space between two boxes, so that no two shapes touch and each one reads as an object of its own.
    private static final int MIN_GAP = 4;
    private static final int PLACES_TRIED_PER_OBJECT = 100;
    // Four large shapes rarely fit; a scene that cannot be placed is drawn again, this many times at most.
    private static final int SCENES_TRIED = 10_000;

    private static final JsonMapper JSON = JsonFiles.MAPPER;

    private final long seed;
    private final SeededDraws random;

    public ScenesDatasetGenerator(long seed) {
        this.seed = seed;
        this.random = new SeededDraws(seed);
    }

    /**
     * One to four objects, equally likely; colours, kinds and sizes uniform (the same pair may appear twice), each
     * at a random place that keeps clear of the others; the image is 224 to 320 pixels on each side.
     */
    public MultiObjectScene randomScene() {
        int count = random.between(1, MultiObjectScene.MAX_OBJECTS);
        int width = random.between(MIN_SIDE, MAX_SIDE);
        int height = random.between(MIN_SIDE, MAX_SIDE);
        int[] from = new int[3];
        int[] to = new int[3];
        for (int c = 0; c < 3; c++) {
            from[c] = random.between(ShapesDatasetGenerator.BACKGROUND_MIN, ShapesDatasetGenerator.BACKGROUND_MAX);
            to[c] = SeededDraws.clamp(from[c] + random.between(-ShapesDatasetGenerator.GRADIENT_SPREAD,
                    ShapesDatasetGenerator.GRADIENT_SPREAD), ShapesDatasetGenerator.BACKGROUND_MIN,
                    ShapesDatasetGenerator.BACKGROUND_MAX);
        }
        double gradientAngle = random.nextDouble() * 2 * Math.PI;
        for (int attempt = 0; attempt < SCENES_TRIED; attempt++) {
            List<SceneObject> objects = placeObjects(count, width, height);
            if (objects != null) {
                return new MultiObjectScene(width, height, objects, ShapesDatasetGenerator.rgb(from[0], from[1], from[2]),
                        ShapesDatasetGenerator.rgb(to[0], to[1], to[2]), gradientAngle);
            }
        }
        throw new IllegalStateException("could not place " + count + " shapes apart in a " + width + "x" + height
                + " image");
    }

    /** {@code count} objects apart from each other, or null where one found no free place. */
    private List<SceneObject> placeObjects(int count, int width, int height) {
        List<SceneObject> objects = new ArrayList<>(count);
        int shorterSide = Math.min(width, height);
        for (int i = 0; i < count; i++) {
            ShapeColour colour = random.pick(ShapeColour.values());
            ShapeKind kind = random.pick(ShapeKind.values());
            ShapeSize size = random.pick(ShapeSize.values());
            int extent = (int) Math.round(shorterSide * random.uniform(size.minFraction(), size.maxFraction()));
            int spread = ShapesDatasetGenerator.COLOUR_JITTER;
            int rgb = ShapesDatasetGenerator.rgb(random.jitter(colour.red(), spread),
                    random.jitter(colour.green(), spread), random.jitter(colour.blue(), spread));
            SceneObject placed = null;
            for (int tries = 0; tries < PLACES_TRIED_PER_OBJECT && placed == null; tries++) {
                SceneObject candidate = new SceneObject(colour, kind, size, random.between(0, width - extent),
                        random.between(0, height - extent), extent, rgb);
                if (objects.stream().noneMatch(other -> other.crowds(candidate, MIN_GAP))) {
                    placed = candidate;
                }
            }
            if (placed == null) {
                return null;
            }
            objects.add(placed);
        }
        return objects;
    }

    /** Draws the scene: the background gradient, then each antialiased shape filling its box. */
    public static BufferedImage render(MultiObjectScene scene) {
        int width = scene.width();
        int height = scene.height();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, ShapesDatasetGenerator.gradient(width, height, scene.backgroundFromRgb(),
                scene.backgroundToRgb(), scene.gradientAngle()), 0, width);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            for (SceneObject object : scene.objects()) {
                g.setColor(new Color(object.rgb()));
                g.fill(ShapesDatasetGenerator.outline(object.kind(), object.centreX(), object.centreY(), object.extent()));
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Scenes, images and captions without touching the disk. */
    public List<SceneExample> generateInMemory(int count) {
        List<SceneExample> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            MultiObjectScene scene = randomScene();
            examples.add(new SceneExample(scene, render(scene), SceneCaptions.write(scene, random)));
        }
        return examples;
    }

    /**
     * Writes {@code count} images numbered from {@code firstImageId} as {@code dir/images/scene_NNNNNN.png},
     * their captions as {@code dir/captions.json} (COCO captions format) and their objects as
     * {@code dir/scenes.json}. Files of an earlier run with the same names are replaced.
     */
    public GeneratedScenes generate(Path dir, int count, int firstImageId) throws IOException {
        Path imagesDir = dir.resolve(IMAGES_FOLDER);
        Files.createDirectories(imagesDir);
        List<GeneratedScenes.Image> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int imageId = firstImageId + i;
            String fileName = String.format(Locale.ROOT, "scene_%06d.png", imageId);
            MultiObjectScene scene = randomScene();
            List<String> captions = SceneCaptions.write(scene, random);
            BufferedImage image = render(scene);
            ShapesDatasetGenerator.writeAtomically(imagesDir.resolve(fileName), file -> {
                if (!ImageIO.write(image, "png", file.toFile())) {
                    throw new IOException("this Java runtime has no PNG writer");
                }
            });
            images.add(new GeneratedScenes.Image(imageId, fileName, scene, captions));
        }
        Path scenesFile = dir.resolve(SCENES_FILE);
        ShapesDatasetGenerator.writeJson(scenesFile, scenesJson(images));
        // Written last, so a captions file on disk always has all its images and objects beside it.
        Path annotationsFile = dir.resolve(ANNOTATIONS_FILE);
        ShapesDatasetGenerator.writeJson(annotationsFile, cocoJson(images));
        return new GeneratedScenes(dir, annotationsFile, imagesDir, scenesFile, List.copyOf(images));
    }

    private ObjectNode cocoJson(List<GeneratedScenes.Image> images) {
        List<CocoCaptionsJson.Entry> entries = images.stream().map(image -> new CocoCaptionsJson.Entry(image.imageId(),
                image.fileName(), image.scene().width(), image.scene().height(), image.captions())).toList();
        return CocoCaptionsJson.of("Synthetic scenes of one to four coloured shapes, "
                + SceneCaptions.PER_IMAGE + " captions each",
                "captioner ScenesDatasetGenerator", seed, SceneCaptions.PER_IMAGE, entries);
    }

    private static ObjectNode scenesJson(List<GeneratedScenes.Image> images) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode scenes = root.putArray("scenes");
        for (GeneratedScenes.Image image : images) {
            ObjectNode scene = scenes.addObject()
                    .put("image_id", image.imageId())
                    .put("file_name", image.fileName())
                    .put("width", image.scene().width())
                    .put("height", image.scene().height());
            ArrayNode objects = scene.putArray("objects");
            for (SceneObject object : image.scene().objects()) {
                ObjectNode entry = objects.addObject()
                        .put("colour", object.colour().word())
                        .put("kind", object.kind().word())
                        .put("size", object.size().word());
                entry.putArray("box").add(object.x()).add(object.y()).add(object.extent()).add(object.extent());
            }
        }
        return root;
    }

}
