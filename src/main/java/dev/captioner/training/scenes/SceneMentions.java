package dev.captioner.training.scenes;

import dev.captioner.training.synthetic.ShapeColour;
import dev.captioner.training.synthetic.ShapeKind;
import dev.captioner.training.synthetic.ShapeSize;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what a caption's tokens (lowercase PTB tokens, punctuation removed) name of a scene: its noun phrases
 * built from the scenes' words, "[a|an|the] [one..four|single] [size] [colour] [shape]", in any order of size and
 * colour. Everything else ("to the left of", "and", "picture") ends a phrase. A model's mistakes are read as
 * literally as possible: a phrase that ends without a shape word is still a mention of what it named ("a red and
 * a blue circle" is a red something and a blue circle), a second word for a property already named starts a new
 * phrase ("a red blue circle": a red something, and a blue circle), and an article or number alone names nothing.
 */
public final class SceneMentions {

    private static final Set<String> ARTICLES = Set.of("a", "an", "the");
    private static final List<String> NUMBERS = List.of("one", "two", "three", "four");
    private static final String SINGLE = "single";
    private static final Set<String> KINDLESS_NOUNS = Set.of("shape", "object");

    private static final Map<String, ShapeColour> COLOURS = new HashMap<>();
    private static final Map<String, ShapeSize> SIZES = new HashMap<>();
    private static final Map<String, ShapeKind> KINDS = new HashMap<>();

    static {
        for (ShapeColour colour : ShapeColour.values()) {
            COLOURS.put(colour.word(), colour);
        }
        for (ShapeSize size : ShapeSize.values()) {
            size.words().forEach(word -> SIZES.put(word, size));
        }
        for (ShapeKind kind : ShapeKind.values()) {
            KINDS.put(kind.word(), kind);
        }
    }

    private SceneMentions() {
    }

    /** The mentions, in the order the caption makes them. */
    public static List<SceneMention> read(List<String> tokens) {
        List<SceneMention> mentions = new ArrayList<>();
        Phrase phrase = new Phrase();
        for (int position = 0; position < tokens.size(); position++) {
            String word = tokens.get(position);
            String singular = singular(word);
            if (ARTICLES.contains(word)) {
                phrase = phrase.endInto(mentions);
            } else if (NUMBERS.contains(word) || word.equals(SINGLE)) {
                if (phrase.statedCount != SceneMention.NOT_STATED || phrase.namesAnything()) {
                    phrase = phrase.endInto(mentions);
                }
                phrase.statedCount = word.equals(SINGLE) ? 1 : NUMBERS.indexOf(word) + 1;
            } else if (SIZES.containsKey(word)) {
                if (phrase.size != null) {
                    phrase = phrase.endInto(mentions);
                }
                phrase.size = SIZES.get(word);
            } else if (COLOURS.containsKey(word)) {
                if (phrase.colour != null) {
                    phrase = phrase.endInto(mentions);
                }
                phrase.colour = COLOURS.get(word);
                phrase.colourPosition = position;
            } else if (KINDS.containsKey(singular) || KINDLESS_NOUNS.contains(singular)) {
                phrase.nounNamed = true;
                phrase.plural = !singular.equals(word);
                if (KINDS.containsKey(singular)) {
                    phrase.kind = KINDS.get(singular);
                    phrase.kindPosition = position;
                }
                phrase = phrase.endInto(mentions);
            } else {
                phrase = phrase.endInto(mentions);
            }
        }
        phrase.endInto(mentions);
        return List.copyOf(mentions);
    }

    /** "circles" -> "circle"; any other word as it is. */
    private static String singular(String word) {
        String stem = word.endsWith("s") ? word.substring(0, word.length() - 1) : word;
        return KINDS.containsKey(stem) || KINDLESS_NOUNS.contains(stem) ? stem : word;
    }

    /** The phrase being read. */
    private static final class Phrase {
        int statedCount = SceneMention.NOT_STATED;
        boolean plural;
        boolean nounNamed;
        ShapeSize size;
        ShapeColour colour;
        ShapeKind kind;
        int colourPosition = SceneMention.NO_POSITION;
        int kindPosition = SceneMention.NO_POSITION;

        boolean namesAnything() {
            return size != null || colour != null || nounNamed;
        }

        /** Adds the phrase to the mentions if it names anything, and starts the next one. */
        Phrase endInto(List<SceneMention> mentions) {
            if (namesAnything()) {
                mentions.add(new SceneMention(statedCount, plural, size, colour, kind, colourPosition, kindPosition));
            }
            return new Phrase();
        }
    }
}
