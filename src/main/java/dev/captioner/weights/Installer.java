package dev.captioner.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Puts a verified file in place under its format's name and records it: the only way a file gets installed. */
final class Installer {

    private final Path installDir;
    private final InstalledWeights registry;

    Installer(Path installDir) {
        this.installDir = installDir.toAbsolutePath().normalize();
        this.registry = new InstalledWeights(this.installDir);
    }

    Path installDir() {
        return installDir;
    }

    PartialDownload partialFor(WeightsFormat format) {
        return new PartialDownload(installDir, format.fileName());
    }

    Path targetFor(WeightsFormat format) {
        return installDir.resolve(format.fileName());
    }

    /** Where a user's file is copied to be verified, apart from any resumable download of the same name. */
    Path stagingCopyFor(WeightsFormat format) {
        return installDir.resolve(PartialDownload.PARTIAL_DIR).resolve(format.fileName() + ".copy");
    }

    /**
     * Moves {@code verified} over any installed file of the same name (atomically where the file system can) and
     * records it; a {@code verified} file that already is the installed one is only recorded.
     */
    InstalledWeight install(Path verified, WeightsFormat format, String sha256, ExpectedChecksum matched,
                            String sourceName, String sourceUrl) throws IOException {
        Path target = targetFor(format);
        long size = Files.size(verified);
        if (!verified.equals(target)) {
            InstalledWeights.moveReplacing(verified, target);
        }
        InstalledWeight weight = new InstalledWeight(InstalledWeights.IMAGENET, format, format.fileName(), size,
                sha256, matched.toString(), sourceName, sourceUrl, Instant.now());
        registry.record(weight);
        return weight;
    }
}
