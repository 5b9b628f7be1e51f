package dev.captioner.weights;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * A verified weights file in the install folder, as recorded in {@code installed.json}.
 *
 * @param fileName        the file's name inside the install folder
 * @param sha256          computed at install time whatever the source published, so any check later is one hash
 * @param matchedChecksum the source's checksum the file matched, e.g. {@code md5:6437...}
 * @param sourceUrl       the URL it was downloaded from, or {@code file:<path>} for a file installed by hand
 */
public record InstalledWeight(String weightsId, WeightsFormat format, String fileName, long size, String sha256,
                              String matchedChecksum, String sourceName, String sourceUrl, Instant installedAt) {

    public InstalledWeight {
        Objects.requireNonNull(weightsId, "weightsId");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(installedAt, "installedAt");
        // the registry is a file people can edit: its entries must not point outside the install folder
        if (fileName == null || fileName.isEmpty() || fileName.startsWith(".")
                || !Path.of(fileName).getFileName().toString().equals(fileName)) {
            throw new IllegalArgumentException("not a plain file name: '" + fileName + "'");
        }
    }
}
