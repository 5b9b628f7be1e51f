package dev.captioner.training.synthetic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * COCO-style captions for a scene of several shapes, each true of it: counts are exact, a size is named only as
 * the object's own, and a relation holds by the boxes' centres. The templates name colours, shapes, sizes,
 * counts and relations; an image of two or more objects always gets one caption with a relation, the part of a
 * scene a model can only get right by looking at where things are.
 */
final class SceneCaptions {

    static final int PER_IMAGE = 5;

    private static final List<String> COUNT_WORDS = List.of("one", "two", "three", "four");

    private interface Template {
        /** The caption, or empty where the template does not fit the scene (a relation needs two objects). */
        Optional<String> write(List<SceneObject> objects, Random random);
    }

    private static final Template RELATION = SceneCaptions::relation;

    private static final List<Template> OTHERS = List.of(
            SceneCaptions::inventory,
            SceneCaptions::theRelation,
            (objects, random) -> Optional.of(pick(List.of("", "a picture of ", "an image of "), random)
                    + groups(objects, o -> o.colour().word() + " " + o.kind().word())),
            (objects, random) -> Optional.of(groups(objects, o -> o.colour().word() + " shape")),
            (objects, random) -> Optional.of(groups(objects, o -> o.kind().word())),
            (objects, random) -> Optional.of(groups(objects, o -> o.size().word() + " shape")),
            SceneCaptions::count);

    private SceneCaptions() {
    }

    /** {@link #PER_IMAGE} captions from different templates, some capitalised and some with a full stop, as in COCO. */
    static List<String> write(MultiObjectScene scene, Random random) {
        List<SceneObject> objects = scene.objects();
        List<Template> others = new ArrayList<>(OTHERS);
        Collections.shuffle(others, random);
        List<Template> chosen = new ArrayList<>();
        if (objects.size() > 1) {
            chosen.add(RELATION);
        }
        chosen.addAll(others);
        List<String> captions = new ArrayList<>(PER_IMAGE);
        for (Template template : chosen) {
            if (captions.size() == PER_IMAGE) {
                break;
            }
            Optional<String> written = template.write(objects, random);
            if (written.isEmpty()) {
                continue;
            }
            String caption = written.get();
            if (random.nextBoolean()) {
                caption = Character.toUpperCase(caption.charAt(0)) + caption.substring(1);
            }
            captions.add(random.nextBoolean() ? caption + "." : caption);
        }
        return List.copyOf(captions);
    }

    /** "three shapes: a big red square, a blue circle and a small yellow triangle", left to right. */
    private static Optional<String> inventory(List<SceneObject> objects, Random random) {
        List<SceneObject> leftToRight = new ArrayList<>(objects);
        leftToRight.sort(Comparator.comparingDouble(SceneObject::centreX));
        List<String> parts = new ArrayList<>();
        for (SceneObject object : leftToRight) {
            parts.add("a " + describe(object, random.nextBoolean(), random));
        }
        String noun = pick(List.of("shape", "object"), random) + (objects.size() > 1 ? "s" : "");
        return Optional.of(COUNT_WORDS.get(objects.size() - 1) + " " + noun + ": " + list(parts));
    }

    /** "a red circle to the left of a small blue square". */
    private static Optional<String> relation(List<SceneObject> objects, Random random) {
        if (objects.size() < 2) {
            return Optional.empty();
        }
        int subject = random.nextInt(objects.size());
        int reference = random.nextInt(objects.size() - 1);
        if (reference >= subject) {
            reference++;
        }
        SceneObject a = objects.get(subject);
        SceneObject b = objects.get(reference);
        return Optional.of("a " + describe(a, random.nextBoolean(), random) + " " + SceneRelation.of(a, b).phrase()
                + " a " + describe(b, random.nextBoolean(), random));
    }

    /** "the red circle is above the blue square", only for objects no other shares colour and kind with. */
    private static Optional<String> theRelation(List<SceneObject> objects, Random random) {
        List<SceneObject> unique = objects.stream()
                .filter(o -> objects.stream().filter(p -> p.colour() == o.colour() && p.kind() == o.kind()).count() == 1)
                .toList();
        if (unique.size() < 2) {
            return Optional.empty();
        }
        List<SceneObject> pair = new ArrayList<>(unique);
        Collections.shuffle(pair, random);
        SceneObject a = pair.get(0);
        SceneObject b = pair.get(1);
        return Optional.of("the " + describe(a, false, random) + " is " + SceneRelation.of(a, b).phrase() + " the "
                + describe(b, false, random));
    }

    /** "there are three shapes in the picture", "two objects on a plain background". */
    private static Optional<String> count(List<SceneObject> objects, Random random) {
        int n = objects.size();
        String noun = pick(List.of("shape", "object"), random) + (n > 1 ? "s" : "");
        if (random.nextBoolean()) {
            return Optional.of((n > 1 ? "there are " : "there is ") + COUNT_WORDS.get(n - 1) + " " + noun + " in the "
                    + pick(List.of("picture", "image"), random));
        }
        String amount = n > 1 ? COUNT_WORDS.get(n - 1) : "a single";
        return Optional.of(amount + " " + noun + " on a " + pick(List.of("light", "plain", "pale"), random)
                + " background");
    }

    /**
     * Every object once, grouped by the words {@code key} gives it, each group with its count: "two green
     * triangles and a yellow circle", "two red shapes and a blue shape". Groups come in order of first appearance.
     */
    private static String groups(List<SceneObject> objects, Function<SceneObject, String> key) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (SceneObject object : objects) {
            counts.merge(key.apply(object), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((words, count) -> parts.add(count == 1 ? "a " + words : COUNT_WORDS.get(count - 1) + " " + words + "s"));
        return list(parts);
    }

    /** "[small ]red circle": a size word only ever the object's own. */
    private static String describe(SceneObject object, boolean withSize, Random random) {
        String colourAndKind = object.colour().word() + " " + object.kind().word();
        return withSize ? pick(object.size().words(), random) + " " + colourAndKind : colourAndKind;
    }

    /** "a", "a and b", "a, b and c". */
    private static String list(List<String> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    private static String pick(List<String> choices, Random random) {
        return choices.get(random.nextInt(choices.size()));
    }
}
