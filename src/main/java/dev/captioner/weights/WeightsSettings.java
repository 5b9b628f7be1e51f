package dev.captioner.weights;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.captioner.config.CaptionerProperties;

/** Turns the {@code captioner.weights.*} settings into sources, download settings and the resolver. */
public final class WeightsSettings {

    private WeightsSettings() {
    }

    /** {@code <data>/weights/vgg16/}: where {@code fetch-weights} installs, and the service looks. */
    public static Path installDir(Path dataDir) {
        return dataDir.resolve("weights").resolve("vgg16");
    }

    public static ImagenetWeights imagenet(CaptionerProperties properties) {
        List<ExpectedChecksum> accepted = new ArrayList<>();
        sources(properties.weights()).forEach(source -> accepted.add(source.checksum()));
        // the built-in sources' checksums stay acceptable even where the operator lists other sources
        WeightsSource.defaults(properties.weights().dl4jBaseUrl()).forEach(source -> accepted.add(source.checksum()));
        if (!properties.weights().fileChecksum().isBlank()) {
            accepted.add(ExpectedChecksum.parse(properties.weights().fileChecksum()));
        }
        return new ImagenetWeights(new InstalledWeights(installDir(properties.dataDir())),
                properties.encoderWeightsFile(), accepted.stream().distinct().toList());
    }

    /** The configured sources in order, or the built-in ones when none are configured. */
    public static List<WeightsSource> sources(CaptionerProperties.Weights weights) {
        if (weights.sources().isEmpty()) {
            return WeightsSource.defaults(weights.dl4jBaseUrl());
        }
        List<WeightsSource> sources = new ArrayList<>();
        for (int i = 0; i < weights.sources().size(); i++) {
            CaptionerProperties.Weights.Source source = weights.sources().get(i);
            if (source.url() == null || source.checksum() == null) {
                throw new IllegalArgumentException("captioner.weights.sources[" + i + "] needs a url and a checksum");
            }
            String name = source.name() == null || source.name().isBlank() ? "source-" + (i + 1) : source.name();
            sources.add(source(name, source.url(), ExpectedChecksum.parse(source.checksum())));
        }
        return sources;
    }

    /** A source given by URL alone: its format is read off the file name's extension. */
    public static WeightsSource source(String name, String url, ExpectedChecksum checksum) {
        URI uri = URI.create(url.strip());
        String path = uri.getPath() == null ? "" : uri.getPath().toLowerCase(Locale.ROOT);
        WeightsFormat format;
        if (path.endsWith(".h5") || path.endsWith(".hdf5")) {
            format = WeightsFormat.KERAS_H5;
        } else if (path.endsWith(".zip")) {
            format = WeightsFormat.DL4J_ZIP;
        } else {
            throw new IllegalArgumentException("source " + name + ": cannot tell the format from " + url
                    + " (the file name must end in .h5 for Keras' HDF5 file or .zip for the DL4J zoo's)");
        }
        return new WeightsSource(name, format, uri, checksum, WeightsSource.UNKNOWN_SIZE);
    }

    public static FetchSettings fetchSettings(CaptionerProperties.Weights weights) {
        FetchSettings defaults = FetchSettings.defaults();
        return new FetchSettings(weights.connectTimeout(), weights.readTimeout(), weights.attempts(),
                defaults.initialBackoff(), defaults.maxBackoff());
    }

    /** The same, with the read timeout a command line asked for. */
    public static FetchSettings withReadTimeout(FetchSettings settings, Duration readTimeout) {
        return new FetchSettings(settings.connectTimeout(), readTimeout, settings.maxAttempts(),
                settings.initialBackoff(), settings.maxBackoff());
    }
}
