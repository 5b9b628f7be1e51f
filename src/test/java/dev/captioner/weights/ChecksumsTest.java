package dev.captioner.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumsTest {

    @TempDir
    Path dir;

    @Test
    void algorithmsMatchPublishedTestVectors() throws Exception {
        assertThat(ChecksumAlgorithm.MD5.compute(stream("abc"))).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(ChecksumAlgorithm.SHA256.compute(stream("abc")))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ChecksumAlgorithm.ADLER32.compute(stream("Wikipedia"))).isEqualTo("300286872");
        assertThat(ChecksumAlgorithm.MD5.compute(stream(""))).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    }

    @Test
    void computesSeveralChecksumsOfALargeFileInOnePass() throws Exception {
        byte[] bytes = TestBytes.random(200_000, 7); // larger than the read buffer, so it takes several reads
        Path file = Files.write(dir.resolve("f"), bytes);
        Map<ChecksumAlgorithm, String> all = ChecksumAlgorithm.computeAll(file, EnumSet.allOf(ChecksumAlgorithm.class));
        for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
            assertThat(all.get(algorithm)).as(algorithm.name())
                    .isEqualTo(algorithm.compute(new ByteArrayInputStream(bytes)))
                    .isEqualTo(algorithm.compute(file));
        }
    }

    @Test
    void parsesTheThreeFormsAndWritesThemBack() {
        ExpectedChecksum md5 = ExpectedChecksum.parse("md5:64373286793E3C8B2B4E3219CBF3544B");
        assertThat(md5.algorithm()).isEqualTo(ChecksumAlgorithm.MD5);
        assertThat(md5).hasToString("md5:64373286793e3c8b2b4e3219cbf3544b");
        assertThat(md5.matches("64373286793E3C8B2B4E3219CBF3544B")).isTrue();
        assertThat(md5.matches("00000000000000000000000000000000")).isFalse();
        assertThat(md5.matches(null)).isFalse();

        String sha = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertThat(ExpectedChecksum.parse(sha)).hasToString(sha);
        assertThat(ExpectedChecksum.parse("SHA256:" + sha.substring(7)).algorithm()).isEqualTo(ChecksumAlgorithm.SHA256);

        ExpectedChecksum adler = ExpectedChecksum.parse("adler32:3501732770");
        assertThat(adler).hasToString("adler32:3501732770");
        assertThat(adler.matches("3501732770")).isTrue();
    }

    @Test
    void refusesMalformedChecksums() {
        assertThatThrownBy(() -> ExpectedChecksum.parse("64373286793e3c8b2b4e3219cbf3544b"))
                .hasMessageContaining("no algorithm");
        assertThatThrownBy(() -> ExpectedChecksum.parse("crc32:1234")).hasMessageContaining("unknown checksum algorithm");
        assertThatThrownBy(() -> ExpectedChecksum.parse("md5:6437328679")).hasMessageContaining("32 hex digits");
        assertThatThrownBy(() -> ExpectedChecksum.parse("sha256:64373286793e3c8b2b4e3219cbf3544b"))
                .hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> ExpectedChecksum.parse("md5:zz373286793e3c8b2b4e3219cbf3544b"))
                .hasMessageContaining("not a valid md5");
        assertThatThrownBy(() -> ExpectedChecksum.parse("adler32:0x1f")).hasMessageContaining("decimal");
        assertThatThrownBy(() -> ExpectedChecksum.parse("adler32:4294967296")).hasMessageContaining("below 2^32");
        assertThatThrownBy(() -> ExpectedChecksum.parse("adler32:")).hasMessageContaining("not a valid adler32");
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
