package dev.captioner.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a client reads when its image is turned away says what is wrong with the image, in words: never a Java
 * exception's name, a library's raw message or a bare number. Seeded damage to valid files of every format.
 */
class ErrorWordsTest {

    /** An exception or error class name, as Java spells them. */
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Z][a-zA-Z]*(Exception|Error)");
    /** A number standing alone after a colon, as in "...: -76". */
    private static final Pattern BARE_NUMBER = Pattern.compile(":\\s*-?\\d+(\\s*$|[^\\dA-Za-z])");
    private static final int MUTANTS = 400;

    static Stream<Arguments> damagedFiles() {
        List<Arguments> files = new ArrayList<>();
        for (String format : List.of("png", "jpeg", "gif", "bmp", "webp")) {
            BufferedImage picture = TestImages.noise(48, 32, format.hashCode());
            byte[] original = format.equals("jpeg") ? TestImages.jpeg(picture, 0.9f) : TestImages.encode(picture, format);
            files.add(Arguments.of(format, original));
        }
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedFiles")
    void rejectionsSayWhatIsWrongInWords(String format, byte[] original) {
        ImageDecoder decoder = new ImageDecoder(1_000_000);
        Random random = new Random(format.hashCode());
        List<String> details = new ArrayList<>();
        // a decoder sent round in circles is stopped by the decoder's own read budget, not by a clock here
        for (int i = 0; i < MUTANTS; i++) {
            byte[] mutant = mutate(original, random, i);
            if (format.equals("png") && i % 2 == 1) {
                mutant = TestImages.withRepairedCrcs(mutant); // so that the damage reaches the PNG reader
            }
            try {
                decoder.decode(mutant);
            } catch (ImageRejectedException rejected) {
                details.add(rejected.getMessage());
            }
        }

        assertThat(details).as("rejections").hasSizeGreaterThan(MUTANTS / 4);
        for (String detail : details) {
            assertThat(detail).as("detail").doesNotContainPattern(CLASS_NAME).doesNotContainPattern(BARE_NUMBER)
                    .doesNotContain("!");
            if (detail.startsWith("corrupt")) {
                assertThat(detail).as("names the format").contains(switch (format) {
                    case "jpeg" -> "JPEG";
                    case "webp" -> "WebP";
                    default -> format.toUpperCase();
                });
            }
        }
    }

    /** Even mutants are cut short somewhere; odd ones get one to eight bytes overwritten. */
    private static byte[] mutate(byte[] original, Random random, int index) {
        if (index % 2 == 0) {
            return Arrays.copyOf(original, 1 + random.nextInt(original.length - 1));
        }
        byte[] mutant = original.clone();
        int changes = 1 + random.nextInt(8);
        for (int c = 0; c < changes; c++) {
            mutant[random.nextInt(mutant.length)] = (byte) random.nextInt(256);
        }
        return mutant;
    }
}
