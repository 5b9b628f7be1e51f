package dev.captioner.vision;

import static dev.captioner.vision.ImageRejectedException.Reason.CORRUPT;
import static dev.captioner.vision.ImageRejectedException.Reason.NOT_AN_IMAGE;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import dev.captioner.vision.ImageRejectedException.Reason;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Willem van Schaik's PngSuite, read from the shared fixtures next to the project (the working directory when
 * the tests run). Without the fixtures these tests are skipped, never passed.
 */
class PngSuiteTest {

    private static final Path PNG_SUITE = Path.of("..", "shared", "fixtures", "pngsuite", "png");
    /** A hang detector, not a speed check: one decode takes milliseconds. */

    /** Every deliberately broken file (PngSuite.README and the suite's documentation say how) and its verdict. */
    private static final Map<String, Reason> BROKEN_FILES = Map.ofEntries(
            entry("xs1n0g01.png", NOT_AN_IMAGE), // signature byte 1 has its top bit cleared: no longer "\x89PNG"
            entry("xs2n0g01.png", NOT_AN_IMAGE), // signature byte 2 is 'Q'
            entry("xs4n0g01.png", NOT_AN_IMAGE), // signature byte 4 is lower case
            entry("xs7n0g01.png", CORRUPT), // signature byte 7 is a space: "\x89PNG" still, damaged after it
            entry("xcrn0g04.png", CORRUPT), // signature mangled by a CR-adding text transfer
            entry("xlfn0g04.png", CORRUPT), // signature mangled by a LF-adding text transfer
            entry("xhdn0g08.png", CORRUPT), // IHDR CRC wrong: only our CRC check catches it
            entry("xc1n0g08.png", CORRUPT), // colour type 1
            entry("xc9n2c08.png", CORRUPT), // colour type 9
            entry("xd0n2c08.png", CORRUPT), // bit depth 0
            entry("xd3n2c08.png", CORRUPT), // bit depth 3
            entry("xd9n2c08.png", CORRUPT), // bit depth 99
            entry("xdtn0g01.png", CORRUPT), // no IDAT chunk
            entry("xcsn0g01.png", CORRUPT)); // IDAT CRC wrong: only our CRC check catches it

    private final ImageDecoder decoder = new ImageDecoder(40_000_000);

    @Test
    void theSuiteHasFourteenBrokenFilesAndWeKnowEachOne() {
        List<String> broken = names(suite().filter(PngSuiteTest::isBroken));

        assertThat(broken).hasSize(14).containsExactlyInAnyOrderElementsOf(BROKEN_FILES.keySet());
        assertThat(names(suite())).as("all files").hasSize(175);
    }

    @TestFactory
    Stream<DynamicTest> validFilesDecodeToRgbOfTheSizeInTheirHeader() {
        return forEachFile(file -> !isBroken(file), file -> {
            byte[] bytes = Files.readAllBytes(file);

            BufferedImage image = decoder.decode(bytes);

            assertThat(image.getType()).as("image type").isEqualTo(BufferedImage.TYPE_INT_RGB);
            assertThat(image.getWidth()).as("width").isEqualTo(TestImages.pngWidth(bytes));
            assertThat(image.getHeight()).as("height").isEqualTo(TestImages.pngHeight(bytes));
        });
    }

    @TestFactory
    Stream<DynamicTest> brokenFilesAreRejectedAsBadRequests() {
        return forEachFile(PngSuiteTest::isBroken, file -> {
            byte[] bytes = Files.readAllBytes(file);

            ImageRejectedException rejected = assertThrows(ImageRejectedException.class,
                    () -> decoder.decode(bytes));

            assertThat(rejected.getReason()).as(rejected.getMessage())
                    .isIn(CORRUPT, NOT_AN_IMAGE)
                    .isEqualTo(BROKEN_FILES.get(name(file)));
            assertThat(rejected.getMessage()).isNotBlank();
        });
    }

    @Test
    void theDecoderKeepsWorkingAfterTheBrokenFiles() throws IOException {
        suite().filter(PngSuiteTest::isBroken).forEach(file ->
                assertThrows(ImageRejectedException.class, () -> decoder.decode(Files.readAllBytes(file))));

        BufferedImage image = decoder.decode(Files.readAllBytes(PNG_SUITE.resolve("basn2c08.png")));

        assertThat(image.getWidth()).isEqualTo(32);
        assertThat(image.getRGB(0, 0)).isNotEqualTo(image.getRGB(31, 31));
    }

    /** Interlacing changes how the pixels are stored, not what they are: each basi* file must match its basn* twin. */
    @TestFactory
    Stream<DynamicTest> interlacedFilesDecodeExactlyLikeTheirTwins() {
        return forEachFile(file -> name(file).startsWith("basi"), file -> {
            Path twin = file.resolveSibling(name(file).replace("basi", "basn"));

            BufferedImage interlaced = decoder.decode(Files.readAllBytes(file));
            BufferedImage plain = decoder.decode(Files.readAllBytes(twin));

            assertThat(pixels(interlaced)).as("pixels of " + name(file) + " vs " + name(twin)).isEqualTo(pixels(plain));
        });
    }

    /** The suite's files, or a skip with the reason when the fixtures are not there. */
    private static Stream<Path> suite() {
        assumeTrue(Files.isDirectory(PNG_SUITE), PngSuiteTest::missingSuite);
        try (Stream<Path> files = Files.list(PNG_SUITE)) {
            return files.filter(file -> name(file).endsWith(".png")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One dynamic test per file that passes the filter. Without the fixtures it is a single skipped test: an
     * aborted factory would not show up in Surefire's report at all.
     */
    private static Stream<DynamicTest> forEachFile(Predicate<Path> filter, ThrowingConsumer<Path> test) {
        if (!Files.isDirectory(PNG_SUITE)) {
            return Stream.of(dynamicTest("PngSuite", () -> assumeTrue(false, PngSuiteTest::missingSuite)));
        }
        return suite().filter(filter).map(file -> dynamicTest(name(file), () -> test.accept(file)));
    }

    private static String missingSuite() {
        return "PngSuite not found at " + PNG_SUITE.toAbsolutePath().normalize()
                + " (shared/fixtures/pngsuite/png next to the project); skipping the PngSuite tests";
    }

    private static boolean isBroken(Path file) {
        return name(file).startsWith("x");
    }

    private static String name(Path file) {
        return file.getFileName().toString();
    }

    private static List<String> names(Stream<Path> files) {
        return files.map(PngSuiteTest::name).toList();
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
