package dev.captioner.dataset;

/**
 * An entry of a dataset file that names no usable image (no name, a name that cannot be a path, or a file that
 * must not be opened), left out with the reason.
 *
 * @param name   the name as the file wrote it, null where it had none
 * @param reason what is wrong with it, in words
 */
public record RejectedEntry(String name, String reason) {

    private static final int SHOWN_CHARACTERS = 80;

    /** The name fit for a status line: control characters escaped, long names shortened. */
    public String shownName() {
        if (name == null) {
            return "(no file name)";
        }
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < name.length() && shown.length() < SHOWN_CHARACTERS; i++) {
            char c = name.charAt(i);
            shown.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return shown.length() < SHOWN_CHARACTERS || name.length() <= SHOWN_CHARACTERS ? shown.toString()
                : shown + "...";
    }
}
