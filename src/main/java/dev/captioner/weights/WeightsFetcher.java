package dev.captioner.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads the weights from the first source that delivers a file matching its published checksum, and installs
 * it; or installs a file the user downloaded some other way, verified the same way. Nothing is installed before it
 * is verified: downloads go to {@code <installDir>/.partial/} and are renamed into place only after.
 */
public final class WeightsFetcher {

    private static final Logger log = LoggerFactory.getLogger(WeightsFetcher.class);
    private static final String USER_FILE_SOURCE = "user-file";

    private final FetchSettings settings;
    private final Sleeper sleeper;
    private final FetchListener listener;
    private final HttpDownload download;

    public WeightsFetcher(FetchSettings settings, Sleeper sleeper, FetchListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.download = new HttpDownload(settings, listener);
    }

    public WeightsFetcher(FetchSettings settings) {
        this(settings, Sleeper.REAL, FetchListener.NONE);
    }

    /**
     * Tries the sources in order, each up to {@link FetchSettings#maxAttempts()} times for failures that may pass
     * (timeouts, resets, refused connections, 5xx, 408, 429), resuming what an earlier attempt or run received.
     *
     * @throws WeightsFetchException when no source delivered a verified file
     * @throws UncheckedIOException  when the install folder cannot be written
     */
    public InstalledWeight fetch(List<WeightsSource> sources, Path installDir) throws InterruptedException {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no weights sources to fetch from");
        }
        Installer installer = new Installer(installDir);
        List<FetchAttempt> failures = new ArrayList<>();
        for (WeightsSource source : sources) {
            Optional<InstalledWeight> installed = fetchFrom(source, installer, failures);
            if (installed.isPresent()) {
                return installed.get();
            }
        }
        throw new WeightsFetchException(failures);
    }

    private Optional<InstalledWeight> fetchFrom(WeightsSource source, Installer installer,
                                                List<FetchAttempt> failures) throws InterruptedException {
        PartialDownload partial = installer.partialFor(source.format());
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            if (attempt > 1) {
                sleeper.sleep(settings.backoffBefore(attempt));
            }
            log.info("Fetching {} weights from {} {} (attempt {} of {})", source.format().description(),
                    source.name(), source.url(), attempt, settings.maxAttempts());
            try {
                download.run(source, attempt, partial);
                InstalledWeight installed = verifyAndInstall(source, partial, installer);
                log.info("Installed {} from {} ({} bytes, sha256:{})", installed.fileName(), source.name(),
                        installed.size(), installed.sha256());
                listener.installed(installed);
                return Optional.of(installed);
            } catch (DownloadFailure failure) {
                FetchAttempt failed = new FetchAttempt(source, attempt, failure.getMessage());
                failures.add(failed);
                log.warn("{} attempt {} failed: {}", source.name(), attempt, failure.getMessage());
                listener.failed(failed);
                if (!failure.isRetryable()) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    // a file that is not the source's is deleted: resuming it could never make it right
    private InstalledWeight verifyAndInstall(WeightsSource source, PartialDownload partial, Installer installer)
            throws DownloadFailure {
        Path file = partial.file();
        listener.verifying(file);
        try {
            long size = Files.size(file);
            if (source.expectedSize() != WeightsSource.UNKNOWN_SIZE && size != source.expectedSize()) {
                partial.discard();
                throw DownloadFailure.nextSource("size mismatch: expected " + source.expectedSize() + " bytes, got "
                        + size);
            }
            if (WeightsFormat.detect(file).orElse(null) != source.format()) {
                String start = WeightsFormat.leadingBytes(file);
                partial.discard();
                throw DownloadFailure.nextSource("not " + article(source.format()) + " file: it starts with "
                        + start);
            }
            ExpectedChecksum expected = source.checksum();
            Map<ChecksumAlgorithm, String> checksums = ChecksumAlgorithm.computeAll(file,
                    EnumSet.of(ChecksumAlgorithm.SHA256, expected.algorithm()));
            String actual = checksums.get(expected.algorithm());
            if (!expected.matches(actual)) {
                partial.discard();
                throw DownloadFailure.nextSource("checksum mismatch: expected " + expected + " got "
                        + expected.algorithm().label() + ":" + actual);
            }
            InstalledWeight installed = installer.install(file, source.format(),
                    checksums.get(ChecksumAlgorithm.SHA256), expected, source.name(), source.url().toString());
            partial.discard();
            return installed;
        } catch (IOException e) {
            throw new UncheckedIOException("could not verify and install " + file, e);
        }
    }

    /**
     * Installs a file downloaded by other means if one of {@code accepted} (the known sources' checksums and any
     * the user gave) matches it. The user's file is copied, never moved or changed.
     *
     * @throws WeightsInstallException when it is not a weights file or no accepted checksum matches
     */
    public InstalledWeight installFile(Path userFile, List<ExpectedChecksum> accepted, Path installDir) {
        if (accepted.isEmpty()) {
            throw new IllegalArgumentException("no accepted checksums: pass at least the known sources' checksums");
        }
        Installer installer = new Installer(installDir);
        try {
            if (!Files.isRegularFile(userFile)) {
                throw new WeightsInstallException(userFile + " is not a file");
            }
            WeightsFormat format = WeightsFormat.detect(userFile).orElseThrow(() -> new WeightsInstallException(
                    userFile + " is neither an HDF5 nor a zip file: it starts with " + leadingBytesOf(userFile)));
            Path target = installer.targetFor(format);
            // verifying a copy makes what is checked exactly what is installed, even if the user's file changes
            boolean alreadyInPlace = Files.exists(target) && Files.isSameFile(userFile, target);
            Path candidate = alreadyInPlace ? target : installer.stagingCopyFor(format);
            try {
                if (!alreadyInPlace) {
                    Files.createDirectories(candidate.getParent());
                    Files.copy(userFile, candidate, StandardCopyOption.REPLACE_EXISTING);
                }
                listener.verifying(candidate);
                ExpectedChecksum.Match match = ExpectedChecksum.match(candidate, accepted);
                ExpectedChecksum matched = match.matched().orElseThrow(() -> new WeightsInstallException(userFile
                        + " matches none of the accepted checksums (" + join(accepted) + "); it has " + match.describe()));
                InstalledWeight installed = installer.install(candidate, format, match.sha256(), matched, USER_FILE_SOURCE,
                        "file:" + userFile.toAbsolutePath().normalize());
                log.info("Installed {} from {} ({})", installed.fileName(), userFile, matched);
                listener.installed(installed);
                return installed;
            } finally {
                if (!alreadyInPlace) {
                    Files.deleteIfExists(candidate);
                    PartialDownload.deleteFolderIfEmpty(candidate.getParent());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not install " + userFile, e);
        }
    }

    private static String leadingBytesOf(Path file) {
        try {
            String start = WeightsFormat.leadingBytes(file);
            return start.isEmpty() ? "nothing (it is empty)" : start;
        } catch (IOException e) {
            return "unreadable bytes (" + e.getMessage() + ")";
        }
    }

    private static String article(WeightsFormat format) {
        return format == WeightsFormat.KERAS_H5 ? "an HDF5" : "a zip";
    }

    private static String join(List<ExpectedChecksum> checksums) {
        return checksums.stream().map(ExpectedChecksum::toString).collect(Collectors.joining(", "));
    }
}
