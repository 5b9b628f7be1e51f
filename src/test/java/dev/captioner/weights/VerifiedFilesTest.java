package dev.captioner.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A weights file is hashed once and trusted afterwards only while nothing about it has changed: written in
 * place (even with its size and modification time put back), replaced, or not yet settled when it was hashed.
 */
class VerifiedFilesTest {

    /** Hashing happens "an hour from now", so files written by the test count as settled when hashed. */
    private static final Clock LATER = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final AtomicInteger hashes = new AtomicInteger();

    private VerifiedFiles.Hashed sha256(VerifiedFiles files, Path file) throws Exception {
        return files.hashUnlessUnchanged(file, known -> true, f -> {
            hashes.incrementAndGet();
            return new VerifiedFiles.Hashed(ChecksumAlgorithm.SHA256.compute(f), null);
        });
    }

    @Test
    void anUnchangedFileIsHashedOnceAcrossInstances() throws Exception {
        Path file = Files.write(dir.resolve("weights.h5"), TestBytes.hdf5(100_000, 1));
        String first = sha256(new VerifiedFiles(dir, LATER), file).sha256();
        String second = sha256(new VerifiedFiles(dir, LATER), file).sha256();
        assertThat(second).isEqualTo(first).isEqualTo(ChecksumAlgorithm.SHA256.compute(file));
        assertThat(hashes).as("the second start trusts the record").hasValue(1);
        assertThat(Files.readString(dir.resolve(VerifiedFiles.RECORD_FILE))).contains(first, "weights.h5");
    }

    @Test
    void aFileWrittenInPlaceIsHashedAgainEvenWithItsSizeAndModificationTimePutBack() throws Exception {
        Path file = Files.write(dir.resolve("weights.h5"), TestBytes.hdf5(100_000, 1));
        FileTime modified = Files.getLastModifiedTime(file);
        String original = sha256(new VerifiedFiles(dir, LATER), file).sha256();
        waitForTheFileClockToTick(file);

        byte[] changed = TestBytes.hdf5(100_000, 1);
        changed[50_000] ^= 1;
        Files.write(file, changed);
        Files.setLastModifiedTime(file, modified);
        assertThat(Files.size(file)).isEqualTo(changed.length);

        String now = sha256(new VerifiedFiles(dir, LATER), file).sha256();
        assertThat(hashes).hasValue(2);
        assertThat(now).isNotEqualTo(original).isEqualTo(ChecksumAlgorithm.SHA256.compute(file));
    }

    @Test
    void aReplacedFileIsHashedAgain() throws Exception {
        Path file = Files.write(dir.resolve("weights.h5"), TestBytes.hdf5(100_000, 1));
        sha256(new VerifiedFiles(dir, LATER), file);
        Path other = Files.write(dir.resolve("other.h5"), TestBytes.hdf5(100_000, 1));
        Files.setLastModifiedTime(other, Files.getLastModifiedTime(file));
        Files.move(other, file, StandardCopyOption.REPLACE_EXISTING);  // same bytes, size and time: another inode
        sha256(new VerifiedFiles(dir, LATER), file);
        assertThat(hashes).hasValue(2);
    }

    @Test
    void aFileNotSettledWhenHashedIsNotTrustedLater() throws Exception {
        Path file = Files.write(dir.resolve("weights.h5"), TestBytes.hdf5(1000, 1));
        Clock rightAfterWriting = Clock.fixed(Files.getLastModifiedTime(file).toInstant(), ZoneOffset.UTC);
        sha256(new VerifiedFiles(dir, rightAfterWriting), file);
        sha256(new VerifiedFiles(dir, LATER), file);
        assertThat(hashes).hasValue(2);
    }

    @Test
    void aRecordNoLongerAcceptedIsHashedAgainAndAnUnreadableRecordIsNoRecord() throws Exception {
        Path file = Files.write(dir.resolve("weights.h5"), TestBytes.hdf5(1000, 1));
        sha256(new VerifiedFiles(dir, LATER), file);
        new VerifiedFiles(dir, LATER).hashUnlessUnchanged(file, known -> false, f -> {
            hashes.incrementAndGet();
            return new VerifiedFiles.Hashed("", null);
        });
        assertThat(hashes).hasValue(2);

        Files.writeString(dir.resolve(VerifiedFiles.RECORD_FILE), "{not json");
        sha256(new VerifiedFiles(dir, LATER), file);
        assertThat(hashes).hasValue(3);
    }

    @Test
    void theInstalledFileChangedInPlaceFailsVerificationAtTheNextStart() throws Exception {
        byte[] bytes = TestBytes.hdf5(100_000, 1);
        Path file = Files.write(dir.resolve(WeightsFormat.KERAS_H5.fileName()), bytes);
        InstalledWeight entry = new InstalledWeight(InstalledWeights.IMAGENET, WeightsFormat.KERAS_H5, file.getFileName().toString(),
                Files.size(file), ChecksumAlgorithm.SHA256.compute(file), "sha256:x", "test", "file:test", Instant.now());
        InstalledWeights installed = new InstalledWeights(dir, LATER);
        installed.record(entry);
        assertThat(installed.verifyUnlessUnchanged(entry)).isEmpty();
        assertThat(new InstalledWeights(dir, LATER).verifyUnlessUnchanged(entry)).as("trusted, unchanged").isEmpty();
        waitForTheFileClockToTick(file);

        FileTime modified = Files.getLastModifiedTime(file);
        bytes[1000] ^= 1;
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, modified);
        assertThat(new InstalledWeights(dir, LATER).verifyUnlessUnchanged(entry))
                .hasValueSatisfying(problem -> assertThat(problem).contains("sha256:" + entry.sha256() + " was installed"));
    }

    /**
     * File times advance in coarse ticks: waits (on the file system's own clock, not a deadline) until a change
     * made now gets a later status-change time than {@code file} has, as any change made after a start would.
     */
    private static void waitForTheFileClockToTick(Path file) throws Exception {
        FileIdentity recorded = FileIdentity.of(file);
        Path probe = file.resolveSibling("clock-probe");
        do {
            Files.write(probe, new byte[1]);
        } while (FileIdentity.of(probe).changed() <= recorded.changed() && recorded.changed() >= 0);
        Files.delete(probe);
    }
}
