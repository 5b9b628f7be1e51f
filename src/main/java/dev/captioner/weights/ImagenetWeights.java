package dev.captioner.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.captioner.store.ModelManifest;

/**
 * Resolves the weights id {@code imagenet} to a verified file: the one {@code captioner.encoder-weights-file}
 * names, else the one {@code fetch-weights} installed. Nothing is downloaded here: a service or job that needs
 * ImageNet weights either finds them or says how to install them.
 */
public final class ImagenetWeights {

    public static final String ID = InstalledWeights.IMAGENET;

    /** A file whose checksum has just been checked, and what to record about it in a model's manifest. */
    public record Resolved(Path file, ModelManifest.WeightsSource source) {
    }

    private final InstalledWeights installed;
    private final Path configuredFile;
    private final List<ExpectedChecksum> accepted;
    private final VerifiedFiles verified;

    /**
     * @param configuredFile a weights file to use instead of the installed one (may be null)
     * @param accepted       the checksums a configured file may match: the known sources' and the operator's own
     */
    public ImagenetWeights(InstalledWeights installed, Path configuredFile, List<ExpectedChecksum> accepted) {
        this.installed = installed;
        this.configuredFile = configuredFile;
        this.accepted = List.copyOf(accepted);
        this.verified = new VerifiedFiles(installed.installDir());
    }

    public Path installDir() {
        return installed.installDir();
    }

    /** Whether weights are there to resolve, without reading them (for refusing requests early). */
    public boolean available() {
        return configuredFile != null ? Files.isRegularFile(configuredFile) : installed.find(ID).isPresent();
    }

    /**
     * @throws WeightsUnavailableException when nothing is installed, or the file no longer matches its checksum
     */
    public Resolved resolve() {
        if (configuredFile != null) {
            return verifyConfigured();
        }
        InstalledWeight entry = installed.find(ID).orElseThrow(() -> new WeightsUnavailableException(
                "ImageNet VGG16 weights are not installed in " + installed.installDir() + ". " + howToInstall()));
        installed.verifyUnlessUnchanged(entry).ifPresent(problem -> {
            throw new WeightsUnavailableException("the installed ImageNet VGG16 weights "
                    + installed.pathOf(entry) + " fail verification (" + problem + "). " + howToInstall());
        });
        return new Resolved(installed.pathOf(entry), new ModelManifest.WeightsSource(label(entry.format()),
                entry.fileName(), entry.sha256(), entry.matchedChecksum(), entry.sourceUrl()));
    }

    /** Where the exception messages and the README send people. */
    public static String howToInstall() {
        return "Install them with 'java -jar captioner.jar fetch-weights' (downloads and verifies them), or, "
                + "offline, 'fetch-weights --file PATH' with a copy downloaded elsewhere; see README, ImageNet weights";
    }

    /** The name manifests use for a format: {@code keras-h5} or {@code dl4j-zip}. */
    public static String label(WeightsFormat format) {
        return switch (format) {
            case KERAS_H5 -> "keras-h5";
            case DL4J_ZIP -> "dl4j-zip";
        };
    }

    private Resolved verifyConfigured() {
        if (!Files.isRegularFile(configuredFile)) {
            throw new WeightsUnavailableException("captioner.encoder-weights-file " + configuredFile
                    + " does not exist. " + howToInstall());
        }
        try {
            Optional<WeightsFormat> format = WeightsFormat.detect(configuredFile);
            if (format.isEmpty()) {
                throw new WeightsUnavailableException("captioner.encoder-weights-file " + configuredFile
                        + " is neither a Keras HDF5 file nor a DL4J zip");
            }
            // a file unchanged since it matched a checksum that is still accepted is not read again
            List<String> acceptedNames = accepted.stream().map(ExpectedChecksum::toString).toList();
            VerifiedFiles.Hashed hashed = verified.hashUnlessUnchanged(configuredFile,
                    known -> known.matched() != null && acceptedNames.contains(known.matched()), file -> {
                        ExpectedChecksum.Match match = ExpectedChecksum.match(file, accepted);
                        return match.matched().map(m -> new VerifiedFiles.Hashed(match.sha256(), m.toString()))
                                .orElseThrow(() -> new WeightsUnavailableException("captioner.encoder-weights-file "
                                        + configuredFile + " matches none of the known VGG16 ImageNet checksums "
                                        + accepted + " (it has " + match.describe()
                                        + "); if you trust it, set captioner.weights.file-checksum to one of these"));
                    });
            return new Resolved(configuredFile, new ModelManifest.WeightsSource(label(format.get()),
                    configuredFile.getFileName().toString(), hashed.sha256(), hashed.matched(),
                    "file:" + configuredFile.toAbsolutePath()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read captioner.encoder-weights-file " + configuredFile, e);
        }
    }
}
