package dev.captioner.config;

/**
 * What an error message may quote of a client's input: the first {@value #MAX_CHARACTERS} characters, then
 * {@code ...}. A detail names the offending value so the client can find it, but must not send a request's
 * megabytes back (a field name, a parameter or a path can be as long as the body or the headers allow).
 */
public final class Excerpt {

    public static final int MAX_CHARACTERS = 200;

    private Excerpt() {
    }

    /** {@code input} as text, cut to {@value #MAX_CHARACTERS} characters (never inside a surrogate pair). */
    public static String of(Object input) {
        String text = String.valueOf(input);
        if (text.length() <= MAX_CHARACTERS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_CHARACTERS - 1)) ? MAX_CHARACTERS - 1 : MAX_CHARACTERS;
        return text.substring(0, end) + "...";
    }
}
