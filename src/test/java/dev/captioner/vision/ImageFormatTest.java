package dev.captioner.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ImageFormatTest {

    @ParameterizedTest
    @EnumSource(ImageFormat.class)
    void detectsWhatImageIoWrites(ImageFormat format) {
        byte[] bytes = TestImages.encode(new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB), format.readerFormatName());

        assertThat(ImageFormat.detect(bytes)).contains(format);
        assertThat(ImageFormat.detectUnsupported(bytes)).isEmpty();
    }

    @Test
    void mimeTypes() {
        assertThat(ImageFormat.JPEG.mimeTypes()).containsExactly("image/jpeg");
        assertThat(ImageFormat.PNG.mimeTypes()).containsExactly("image/png");
        assertThat(ImageFormat.GIF.mimeTypes()).containsExactly("image/gif");
        assertThat(ImageFormat.BMP.mimeTypes()).containsExactly("image/bmp", "image/x-ms-bmp");
        assertThat(ImageFormat.BMP.mimeType()).isEqualTo("image/bmp");
        assertThat(ImageFormat.WEBP.mimeTypes()).containsExactly("image/webp");
    }

    @Test
    void webPIsDetectedWhateverItsFirstChunk() {
        for (String head : new String[] {"RIFF\u0024\0\0\0WEBPVP8 ", "RIFF\u0024\0\0\0WEBPVP8L", "RIFF\u0024\0\0\0WEBPVP8X"}) {
            assertThat(ImageFormat.detect(head.getBytes(StandardCharsets.ISO_8859_1))).as(head).contains(ImageFormat.WEBP);
        }
        assertThat(ImageFormat.WEBP).hasToString("WebP");
    }

    static Stream<Arguments> unsupportedFormats() {
        return Stream.of(
                Arguments.of("II*\0\u0008\0\0\0", "TIFF"),
                Arguments.of("MM\0*\0\0\0\u0008", "TIFF"),
                Arguments.of("II+\0\u0008\0\0\0", "TIFF"),
                Arguments.of("\0\0\0\u0018ftypheic\0\0\0\0", "HEIC/HEIF"),
                Arguments.of("\0\0\0\u0018ftypmif1\0\0\0\0", "HEIC/HEIF"),
                Arguments.of("\0\0\0\u001Cftypavif\0\0\0\0", "AVIF"),
                Arguments.of("\0\0\u0001\0\u0002\0\u0020\u0020", "ICO"),
                Arguments.of("\0\0\u0002\0\u0001\0\u0020\u0020", "ICO"),
                Arguments.of("\0\0\0\u000CjP  \r\n\u0087\n", "JPEG 2000"),
                Arguments.of("\u00FF\u004F\u00FF\u0051\0\u0029", "JPEG 2000"),
                Arguments.of("\u00FF\n\u00FA\u007F", "JPEG XL"),
                Arguments.of("\0\0\0\u000CJXL \r\n\u0087\n", "JPEG XL"),
                Arguments.of("8BPS\0\u0001", "Photoshop PSD"),
                Arguments.of("<svg width=\"10\"/>", "SVG/XML"),
                Arguments.of("  \r\n<?xml version=\"1.0\"?>", "SVG/XML"),
                Arguments.of("\u00EF\u00BB\u00BF<svg/>", "SVG/XML"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("unsupportedFormats")
    void recognisesUnsupportedFormats(String head, String name) {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);

        assertThat(ImageFormat.detect(bytes)).isEmpty();
        assertThat(ImageFormat.detectUnsupported(bytes)).contains(name);
    }

    static Stream<String> neitherSupportedNorUnsupported() {
        return Stream.of("", "\u00FF\u00D8", "\u0089PN", "GIF88a", "BM", "BMW and BMX bikes", "RIFF\u0024\0\0\0WAVEfmt ",
                "\0\0\0\u0018ftypisom\0\0\0\0", "\0\0\u0001\0\0\0", "%PDF-1.7", "<html><body>", "hello");
    }

    @ParameterizedTest
    @MethodSource("neitherSupportedNorUnsupported")
    void recognisesNothingInOtherData(String head) {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);

        assertThat(ImageFormat.detect(bytes)).isEmpty();
        assertThat(ImageFormat.detectUnsupported(bytes)).isEmpty();
    }
}
