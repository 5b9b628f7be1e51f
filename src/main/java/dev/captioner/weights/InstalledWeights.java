package dev.captioner.weights;

import dev.captioner.config.JsonFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The registry of verified weights files: {@code <installDir>/installed.json}, replaced atomically on change. */
public final class InstalledWeights {

    public static final String IMAGENET = "imagenet";
    static final String REGISTRY_FILE = "installed.json";

    private static final JsonMapper JSON = JsonFiles.MAPPER;
    private static final Comparator<InstalledWeight> PREFERRED_FIRST = Comparator
            .comparing(InstalledWeight::format)
            .thenComparing(InstalledWeight::installedAt, Comparator.reverseOrder());

    private final Path installDir;
    private final VerifiedFiles verified;

    public InstalledWeights(Path installDir) {
        this(installDir, java.time.Clock.systemUTC());
    }

    /** @param clock when files count as hashed, for {@link VerifiedFiles#SETTLED} */
    InstalledWeights(Path installDir, java.time.Clock clock) {
        this.installDir = installDir.toAbsolutePath().normalize();
        this.verified = new VerifiedFiles(this.installDir, clock);
    }

    public Path installDir() {
        return installDir;
    }

    public Path pathOf(InstalledWeight weight) {
        return installDir.resolve(weight.fileName());
    }

    /** Every recorded entry, whether or not its file is still there. */
    public synchronized List<InstalledWeight> list() {
        Path registry = installDir.resolve(REGISTRY_FILE);
        if (!Files.exists(registry)) {
            return List.of();
        }
        try {
            return JSON.readValue(Files.readAllBytes(registry), Registry.class).weights();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + registry, e);
        } catch (JacksonException e) {
            throw new IllegalStateException("unreadable weights registry " + registry + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The weights to load for {@code weightsId}: the Keras file before the DL4J zip, and only a file that is still
     * there with its recorded size (a full re-hash is {@link #verify}'s job, too slow for every start).
     */
    public Optional<InstalledWeight> find(String weightsId) {
        return list().stream()
                .filter(weight -> weight.weightsId().equals(weightsId))
                .filter(this::presentWithRecordedSize)
                .min(PREFERRED_FIRST);
    }

    /** Adds the entry, replacing any entry for the same file. */
    public synchronized void record(InstalledWeight weight) {
        List<InstalledWeight> weights = new ArrayList<>(list());
        weights.removeIf(existing -> existing.fileName().equals(weight.fileName()));
        weights.add(weight);
        write(new Registry(weights));
    }

    /** Re-hashes the file: empty when it is intact, otherwise what is wrong with it. */
    public Optional<String> verify(InstalledWeight weight) {
        return check(weight, false);
    }

    /**
     * As {@link #verify}, but a file that has not changed (same {@link FileIdentity}) since it was hashed to the
     * recorded SHA-256 is trusted without reading it again: what a service start does.
     */
    public Optional<String> verifyUnlessUnchanged(InstalledWeight weight) {
        return check(weight, true);
    }

    private Optional<String> check(InstalledWeight weight, boolean trustUnchanged) {
        Path file = pathOf(weight);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.of(file + " is missing");
            }
            long size = Files.size(file);
            if (size != weight.size()) {
                return Optional.of(file + " has " + size + " bytes, " + weight.size() + " were installed");
            }
            VerifiedFiles.Hashing sha256Only = f -> new VerifiedFiles.Hashed(ChecksumAlgorithm.SHA256.compute(f), null);
            String sha256 = trustUnchanged
                    ? verified.hashUnlessUnchanged(file, known -> known.sha256().equalsIgnoreCase(weight.sha256()), sha256Only).sha256()
                    : verified.hashUnlessUnchanged(file, known -> false, sha256Only).sha256();
            return weight.sha256().equalsIgnoreCase(sha256) ? Optional.empty()
                    : Optional.of(file + " has sha256:" + sha256 + ", sha256:" + weight.sha256() + " was installed");
        } catch (IOException e) {
            return Optional.of("cannot read " + file + ": " + e.getMessage());
        }
    }

    private boolean presentWithRecordedSize(InstalledWeight weight) {
        try {
            Path file = pathOf(weight);
            return Files.isRegularFile(file) && Files.size(file) == weight.size();
        } catch (IOException e) {
            return false;
        }
    }

    // written aside and renamed so a reader never sees half a registry
    private void write(Registry registry) {
        try {
            Files.createDirectories(installDir);
            Path temp = Files.createTempFile(installDir, REGISTRY_FILE + ".", ".tmp");
            try {
                Files.write(temp, JSON.writeValueAsBytes(registry));
                moveReplacing(temp, installDir.resolve(REGISTRY_FILE));
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + installDir.resolve(REGISTRY_FILE), e);
        }
    }

    static void moveReplacing(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    record Registry(List<InstalledWeight> weights) {
        Registry {
            weights = weights == null ? List.of() : List.copyOf(weights);
        }
    }
}
