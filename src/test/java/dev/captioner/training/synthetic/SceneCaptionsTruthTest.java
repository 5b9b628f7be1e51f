package dev.captioner.training.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every caption written to captions.json is true of the objects scenes.json gives its image: the captions are
 * parsed back (every form the templates make, and nothing else) and each claim checked against the boxes.
 */
class SceneCaptionsTruthTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> NUMBERS = List.of("one", "two", "three", "four");
    private static final String RELATION = "to the left of|to the right of|above|below";
    private static final String DESCRIPTION = "(?:a|one|two|three|four) [a-z ]+?";

    private static final Pattern INVENTORY = Pattern.compile("(one|two|three|four) (?:shape|object)s?: (.+)");
    private static final Pattern THE_RELATION = Pattern.compile("the ([a-z]+ [a-z]+) is (" + RELATION + ") the ([a-z]+ [a-z]+)");
    private static final Pattern RELATION_PAIR = Pattern.compile("(" + DESCRIPTION + ") (" + RELATION + ") (" + DESCRIPTION + ")");
    private static final Pattern COUNT_IN_PICTURE = Pattern.compile("there (?:is|are) (one|two|three|four) (?:shape|object)s? in the (?:picture|image)");
    private static final Pattern COUNT_ON_BACKGROUND = Pattern.compile("(a single|one|two|three|four) (?:shape|object)s? on a (?:light|plain|pale) background");
    private static final Pattern GROUPS = Pattern.compile("(?:a picture of |an image of )?(.+)");

    private enum Form { INVENTORY, THE_RELATION, RELATION, COUNT, GROUPS }

    /** An object as scenes.json gives it, with its box's centre. */
    private record SceneObject(String colour, String kind, String size, double centreX, double centreY) {
    }

    /** What a noun phrase says: how many, and whichever of size, colour and kind it names (null: not named). */
    private record Description(int count, String size, String colour, String kind) {

        boolean matches(SceneObject object) {
            return (size == null || size.equals(object.size())) && (colour == null || colour.equals(object.colour()))
                    && (kind == null || kind.equals(object.kind()));
        }
    }

    @TempDir
    static Path temp;

    private static final Map<String, List<SceneObject>> objectsByFile = new HashMap<>();
    private static final Map<String, List<String>> captionsByFile = new HashMap<>();

    @BeforeAll
    static void generate() throws IOException {
        GeneratedScenes dataset = new ScenesDatasetGenerator(21).generate(temp, 200, 1);
        for (JsonNode scene : JSON.readTree(dataset.scenesFile().toFile()).get("scenes")) {
            List<SceneObject> objects = new ArrayList<>();
            for (JsonNode object : scene.get("objects")) {
                JsonNode box = object.get("box");
                objects.add(new SceneObject(object.get("colour").stringValue(), object.get("kind").stringValue(),
                        object.get("size").stringValue(), box.get(0).intValue() + box.get(2).intValue() / 2.0,
                        box.get(1).intValue() + box.get(3).intValue() / 2.0));
            }
            objectsByFile.put(scene.get("file_name").stringValue(), objects);
        }
        JsonNode coco = JSON.readTree(dataset.annotationsFile().toFile());
        Map<Integer, String> fileById = new HashMap<>();
        coco.get("images").forEach(image -> fileById.put(image.get("id").intValue(), image.get("file_name").stringValue()));
        for (JsonNode annotation : coco.get("annotations")) {
            captionsByFile.computeIfAbsent(fileById.get(annotation.get("image_id").intValue()), f -> new ArrayList<>())
                    .add(annotation.get("caption").stringValue());
        }
    }

    @Test
    void everyCaptionIsTrueOfItsImagesObjects() {
        assertThat(captionsByFile.keySet()).isEqualTo(objectsByFile.keySet());
        captionsByFile.forEach((file, captions) -> {
            List<SceneObject> objects = objectsByFile.get(file);
            for (String caption : captions) {
                checkTrue(normalise(caption), objects, file + ": \"" + caption + "\" of " + objects);
            }
        });
    }

    @Test
    void imagesOfSeveralObjectsAlwaysHaveARelationAndTheTemplatesAreVaried() {
        Set<Form> forms = EnumSet.noneOf(Form.class);
        Set<String> relations = new java.util.HashSet<>();
        captionsByFile.forEach((file, captions) -> {
            boolean relationNamed = false;
            for (String caption : captions) {
                String text = normalise(caption);
                Form form = formOf(text);
                forms.add(form);
                if (form == Form.RELATION || form == Form.THE_RELATION) {
                    relationNamed = true;
                    Matcher relation = Pattern.compile(RELATION).matcher(text);
                    assertThat(relation.find()).isTrue();
                    relations.add(relation.group());
                }
            }
            if (objectsByFile.get(file).size() > 1) {
                assertThat(relationNamed).as(file + ": " + captions).isTrue();
            }
        });
        assertThat(forms).containsExactlyInAnyOrder(Form.values());
        assertThat(relations).containsExactlyInAnyOrder("to the left of", "to the right of", "above", "below");
    }

    private static String normalise(String caption) {
        String lower = caption.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static Form formOf(String caption) {
        if (INVENTORY.matcher(caption).matches()) {
            return Form.INVENTORY;
        }
        if (THE_RELATION.matcher(caption).matches()) {
            return Form.THE_RELATION;
        }
        if (RELATION_PAIR.matcher(caption).matches()) {
            return Form.RELATION;
        }
        if (COUNT_IN_PICTURE.matcher(caption).matches() || COUNT_ON_BACKGROUND.matcher(caption).matches()) {
            return Form.COUNT;
        }
        return Form.GROUPS;
    }

    private static void checkTrue(String caption, List<SceneObject> objects, String context) {
        switch (formOf(caption)) {
            case INVENTORY -> {
                Matcher m = INVENTORY.matcher(caption);
                assertThat(m.matches()).isTrue();
                List<Description> listed = phrases(m.group(2), context);
                assertThat(number(m.group(1))).as(context).isEqualTo(objects.size());
                assertThat(listed).as(context).hasSize(objects.size()).allSatisfy(d -> assertThat(d.count()).isOne());
                assertThat(eachMatchesADifferentObject(listed, objects, new boolean[objects.size()])).as(context).isTrue();
            }
            case THE_RELATION -> {
                Matcher m = THE_RELATION.matcher(caption);
                assertThat(m.matches()).isTrue();
                Description subject = description("a " + m.group(1), context);
                Description reference = description("a " + m.group(3), context);
                List<SceneObject> subjects = objects.stream().filter(subject::matches).toList();
                List<SceneObject> references = objects.stream().filter(reference::matches).toList();
                assertThat(subjects).as("'the' names one object: " + context).hasSize(1);
                assertThat(references).as("'the' names one object: " + context).hasSize(1);
                assertThat(holds(subjects.get(0), m.group(2), references.get(0))).as(context).isTrue();
            }
            case RELATION -> {
                Matcher m = RELATION_PAIR.matcher(caption);
                assertThat(m.matches()).isTrue();
                Description subject = description(m.group(1), context);
                Description reference = description(m.group(3), context);
                boolean somePairHolds = false;
                for (SceneObject a : objects) {
                    for (SceneObject b : objects) {
                        somePairHolds |= a != b && subject.matches(a) && reference.matches(b) && holds(a, m.group(2), b);
                    }
                }
                assertThat(somePairHolds).as(context).isTrue();
            }
            case COUNT -> {
                Matcher inPicture = COUNT_IN_PICTURE.matcher(caption);
                Matcher onBackground = COUNT_ON_BACKGROUND.matcher(caption);
                String number = inPicture.matches() ? inPicture.group(1) : onBackground.matches() ? onBackground.group(1) : null;
                assertThat(number).as(context).isNotNull();
                assertThat(number.equals("a single") ? 1 : number(number)).as(context).isEqualTo(objects.size());
                assertThat(caption.contains(" is ") || caption.contains("a single") || caption.startsWith("one "))
                        .as("singular exactly when there is one: " + context).isEqualTo(objects.size() == 1);
            }
            case GROUPS -> {
                Matcher m = GROUPS.matcher(caption);
                assertThat(m.matches()).isTrue();
                int total = 0;
                for (Description group : phrases(m.group(1), context)) {
                    assertThat(objects.stream().filter(group::matches).count()).as(group + " in " + context)
                            .isEqualTo(group.count());
                    total += group.count();
                }
                assertThat(total).as("the groups are every object once: " + context).isEqualTo(objects.size());
            }
        }
    }

    /** "a big red square, a blue circle and two triangles" -> its noun phrases. */
    private static List<Description> phrases(String list, String context) {
        List<Description> phrases = new ArrayList<>();
        for (String phrase : list.split(", | and ")) {
            phrases.add(description(phrase, context));
        }
        return phrases;
    }

    /** "a small red circle", "two green triangles", "a blue shape", "three circles", "a big object". */
    private static Description description(String phrase, String context) {
        String[] words = phrase.split(" ");
        int count = words[0].equals("a") ? 1 : number(words[0]);
        String size = null;
        String colour = null;
        int next = 1;
        if (next < words.length - 1 && sizeOf(words[next]) != null) {
            size = sizeOf(words[next++]);
        }
        if (next < words.length - 1 && List.of("red", "green", "blue", "yellow", "black").contains(words[next])) {
            colour = words[next++];
        }
        assertThat(next).as("one noun after the article, size and colour: '" + phrase + "' in " + context)
                .isEqualTo(words.length - 1);
        String noun = words[next];
        assertThat(noun.endsWith("s")).as("plural exactly when more than one: '" + phrase + "' in " + context)
                .isEqualTo(count > 1);
        String singular = count > 1 ? noun.substring(0, noun.length() - 1) : noun;
        assertThat(singular).as(context).isIn("circle", "square", "triangle", "shape", "object");
        String kind = singular.equals("shape") || singular.equals("object") ? null : singular;
        return new Description(count, size, colour, kind);
    }

    private static String sizeOf(String word) {
        return switch (word) {
            case "small", "little" -> "small";
            case "large", "big" -> "large";
            default -> null;
        };
    }

    private static int number(String word) {
        int index = NUMBERS.indexOf(word);
        if (index < 0) {
            fail("not a count: " + word);
        }
        return index + 1;
    }

    /** The relation by the boxes' centres; y grows downwards. */
    private static boolean holds(SceneObject a, String relation, SceneObject b) {
        return switch (relation) {
            case "to the left of" -> a.centreX() < b.centreX();
            case "to the right of" -> a.centreX() > b.centreX();
            case "above" -> a.centreY() < b.centreY();
            case "below" -> a.centreY() > b.centreY();
            default -> throw new AssertionError("not a relation: " + relation);
        };
    }

    private static boolean eachMatchesADifferentObject(List<Description> listed, List<SceneObject> objects, boolean[] taken) {
        if (listed.isEmpty()) {
            return true;
        }
        for (int i = 0; i < objects.size(); i++) {
            if (!taken[i] && listed.get(0).matches(objects.get(i))) {
                taken[i] = true;
                if (eachMatchesADifferentObject(listed.subList(1, listed.size()), objects, taken)) {
                    return true;
                }
                taken[i] = false;
            }
        }
        return false;
    }
}
