package dev.captioner.training.synthetic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * COCO-style captions for a scene. Every template names the colour, because naming the right colour is the
 * demo model's proof that it looks at the image; most name the shape, fewer the size and position. The word
 * list stays small (about 40 words) so that every word is seen often enough to enter the vocabulary.
 */
final class ShapeCaptions {

    static final int PER_IMAGE = 5;

    private record Words(String colour, String kind, List<String> sizes, ShapePosition position) {
    }

    private interface Template {
        String write(Words words, Random random);
    }

    private static final List<Template> TEMPLATES = List.of(
            (w, r) -> "a " + pick(w.sizes(), r) + " " + w.colour() + " " + w.kind() + " " + positionPhrase(w, r),
            (w, r) -> "a " + pick(w.sizes(), r) + " " + w.colour() + " " + w.kind(),
            (w, r) -> "there is a " + w.colour() + " " + w.kind() + " " + w.position().ofThePicturePhrase()
                    + " of the " + pick(List.of("picture", "image"), r),
            (w, r) -> "a " + w.colour() + " shape " + w.position().ofThePicturePhrase() + " of a "
                    + backgroundAdjective(r) + " background",
            (w, r) -> "a " + pick(w.sizes(), r) + " " + w.kind() + " that is " + w.colour(),
            (w, r) -> w.colour() + " " + w.kind() + " " + positionPhrase(w, r),
            (w, r) -> "an image of a " + w.colour() + " " + w.kind() + " on a " + backgroundAdjective(r)
                    + " background",
            (w, r) -> "a " + w.kind() + " colored " + w.colour() + " " + positionPhrase(w, r),
            (w, r) -> "the " + w.colour() + " " + w.kind() + " is " + pick(w.sizes(), r),
            (w, r) -> "a single " + w.colour() + " object " + positionPhrase(w, r),
            (w, r) -> "a drawing of one " + pick(w.sizes(), r) + " " + w.colour() + " " + w.kind(),
            (w, r) -> "a " + w.colour() + " " + w.kind() + " sits " + positionPhrase(w, r));

    private ShapeCaptions() {
    }

    /** {@link #PER_IMAGE} captions from different templates, some capitalised and some with a full stop, as in COCO. */
    static List<String> write(SyntheticScene scene, Random random) {
        Words words = new Words(scene.colour().word(), scene.kind().word(), scene.size().words(), scene.position());
        List<Integer> order = new ArrayList<>(IntStream.range(0, TEMPLATES.size()).boxed().toList());
        Collections.shuffle(order, random);
        List<String> captions = new ArrayList<>(PER_IMAGE);
        for (int template : order.subList(0, PER_IMAGE)) {
            String caption = TEMPLATES.get(template).write(words, random);
            if (random.nextBoolean()) {
                caption = Character.toUpperCase(caption.charAt(0)) + caption.substring(1);
            }
            captions.add(random.nextBoolean() ? caption + "." : caption);
        }
        return List.copyOf(captions);
    }

    private static String positionPhrase(Words words, Random random) {
        return pick(words.position().phrases(), random);
    }

    private static String backgroundAdjective(Random random) {
        return pick(List.of("light", "plain", "pale"), random);
    }

    private static String pick(List<String> choices, Random random) {
        return choices.get(random.nextInt(choices.size()));
    }
}
