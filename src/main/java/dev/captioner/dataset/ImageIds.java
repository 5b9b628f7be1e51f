package dev.captioner.dataset;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which files of a folder are images to caption, and their COCO image ids when no captions file gives them: the
 * last number in the file name, as in COCO's own ({@code COCO_val2014_000000391895.jpg} is 391895).
 */
public final class ImageIds {

    /** The names the {@code caption} command and the Spark jobs take from a folder. */
    public static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp");

    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)(?!.*\\d)");

    private ImageIds() {
    }

    public static boolean isImageName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /** The last number in the file name, or empty when it has none (or one too long for an id). */
    public static Optional<Long> numberIn(String fileName) {
        Matcher matcher = LAST_NUMBER.matcher(fileName);
        if (!matcher.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(matcher.group(1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
