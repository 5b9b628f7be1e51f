package dev.captioner.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

import dev.captioner.config.JsonFiles;
import tools.jackson.core.JacksonException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers which weights files were hashed, to what, and the {@link FileIdentity} they had then
 * ({@code <installDir>/verified.json}), so a later start trusts a file that has not changed since instead of
 * reading its 553 MB again (0.4-1 s). A file whose identity differs in any way is hashed again; an unreadable
 * record is no record. Written aside and renamed.
 */
public final class VerifiedFiles {

    static final String RECORD_FILE = "verified.json";
    private static final Logger log = LoggerFactory.getLogger(VerifiedFiles.class);

    /**
     * @param file     the absolute, normalised path that was hashed
     * @param matched  the accepted checksum it matched (e.g. {@code md5:6437...}), or null where none was asked
     */
    public record Verification(String file, FileIdentity identity, String sha256, String matched, Instant verifiedAt) {
    }

    /** A file that was just hashed: its SHA-256 and the checksum it matched. */
    public record Hashed(String sha256, String matched) {
    }

    @FunctionalInterface
    public interface Hashing {
        Hashed hash(Path file) throws IOException;
    }

    private record Records(List<Verification> verifications) {
        Records {
            verifications = verifications == null ? List.of() : List.copyOf(verifications);
        }
    }

    /**
     * File times are kept at a coarse granularity (a few milliseconds on Linux, 2 s on FAT), so a change made
     * within the same tick as the times recorded would leave them equal: only a file whose times are this much
     * older than the hash is recorded (git's "racily clean" rule); a newer one is hashed again at the next start.
     */
    static final Duration SETTLED = Duration.ofSeconds(3);

    private final Path recordFile;
    private final Clock clock;

    public VerifiedFiles(Path installDir) {
        this(installDir, Clock.systemUTC());
    }

    VerifiedFiles(Path installDir, Clock clock) {
        this.recordFile = installDir.toAbsolutePath().normalize().resolve(RECORD_FILE);
        this.clock = clock;
    }

    /** The record of {@code file} if it still has the identity it had when it was hashed. */
    public synchronized Optional<Verification> unchanged(Path file) {
        String name = key(file);
        try {
            FileIdentity now = FileIdentity.of(file);
            return read().stream().filter(v -> v.file().equals(name) && v.identity().equals(now)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The file's checksums: from its record when it is unchanged since it was hashed and the record still
     * passes {@code stillAccepted} (the checksums asked for may have changed since), else computed by
     * {@code hashing} and recorded, unless the file changed while it was being read.
     */
    public Hashed hashUnlessUnchanged(Path file, Predicate<Hashed> stillAccepted, Hashing hashing) throws IOException {
        Optional<Verification> known = unchanged(file)
                .filter(v -> stillAccepted.test(new Hashed(v.sha256(), v.matched())));
        if (known.isPresent()) {
            log.info("{} unchanged since it was verified at {} (sha256:{}, same size, times and inode): not hashed again",
                    file, known.get().verifiedAt(), known.get().sha256());
            return new Hashed(known.get().sha256(), known.get().matched());
        }
        FileIdentity before = FileIdentity.of(file);
        Instant hashedAt = clock.instant();
        long start = System.nanoTime();
        Hashed hashed = hashing.hash(file);
        if (before.equals(FileIdentity.of(file)) && before.settledBefore(hashedAt.minus(SETTLED))) {
            record(new Verification(key(file), before, hashed.sha256(), hashed.matched(), hashedAt));
        }
        log.info("{} hashed in {} ms: sha256:{}", file, (System.nanoTime() - start) / 1_000_000, hashed.sha256());
        return hashed;
    }

    synchronized void record(Verification verification) {
        List<Verification> all = new ArrayList<>(read());
        all.removeIf(v -> v.file().equals(verification.file()));
        all.add(verification);
        try {
            Files.createDirectories(recordFile.getParent());
            Path temp = Files.createTempFile(recordFile.getParent(), RECORD_FILE + ".", ".tmp");
            try {
                Files.write(temp, JsonFiles.MAPPER.writeValueAsBytes(new Records(all)));
                InstalledWeights.moveReplacing(temp, recordFile);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            // only a later start's speed depends on it: that start hashes the file again
            log.warn("could not record the verification of {} in {}: {}", verification.file(), recordFile, e.toString());
        }
    }

    private List<Verification> read() {
        if (!Files.isRegularFile(recordFile)) {
            return List.of();
        }
        try {
            List<Verification> all = JsonFiles.MAPPER.readValue(Files.readAllBytes(recordFile), Records.class).verifications();
            return all.stream().filter(v -> v.file() != null && v.identity() != null && v.sha256() != null).toList();
        } catch (IOException | JacksonException e) {
            log.warn("ignoring unreadable {} (every weights file will be hashed again): {}", recordFile, e.toString());
            return List.of();
        }
    }

    private static String key(Path file) {
        return Objects.requireNonNull(file).toAbsolutePath().normalize().toString();
    }
}
