package dev.captioner.serving;

import java.nio.file.Path;
import java.util.List;

import dev.captioner.weights.FetchListener;
import dev.captioner.weights.FetchSettings;
import dev.captioner.weights.Sleeper;
import dev.captioner.weights.WeightsFetchException;
import dev.captioner.weights.WeightsFetcher;
import dev.captioner.weights.WeightsSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code captioner.weights.fetch-on-startup}: when the active model needs ImageNet weights that are not
 * installed, download them in the background with the same bounded, verified fetch as {@code fetch-weights},
 * then load the model. The service stays not-ready meanwhile; if every source fails it stays so and says why.
 */
final class StartupWeightsFetch {

    private static final Logger log = LoggerFactory.getLogger(StartupWeightsFetch.class);

    private final ModelRuntime runtime;
    private final List<WeightsSource> sources;
    private final FetchSettings settings;
    private final Path installDir;

    StartupWeightsFetch(ModelRuntime runtime, List<WeightsSource> sources, FetchSettings settings, Path installDir) {
        this.runtime = runtime;
        this.sources = sources;
        this.settings = settings;
        this.installDir = installDir;
    }

    Thread start() {
        Thread thread = new Thread(this::fetchThenLoad, "weights-fetch");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void fetchThenLoad() {
        log.info("fetching the missing ImageNet weights into {} (captioner.weights.fetch-on-startup)", installDir);
        try {
            new WeightsFetcher(settings, Sleeper.REAL, new LoggingListener()).fetch(sources, installDir);
        } catch (WeightsFetchException e) {
            runtime.markUnavailable("fetching the ImageNet weights failed: " + e.getMessage());
            log.error("not ready: {}", runtime.unavailableReason());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            runtime.markUnavailable("fetching the ImageNet weights failed: " + e);
            log.error("not ready: {}", runtime.unavailableReason(), e);
            return;
        }
        try {
            runtime.loadActiveAtStartup();
        } catch (RuntimeException e) {
            runtime.markUnavailable("the active model could not be loaded with the fetched weights: " + e.getMessage());
            log.error("not ready: {}", runtime.unavailableReason(), e);
        }
    }

    /** A log line every tenth of the file: what a container's log can show of a 550 MB download. */
    private static final class LoggingListener implements FetchListener {

        private long lastTenth = -1;

        @Override
        public void progress(long bytesDone, long totalBytes) {
            long tenth = totalBytes > 0 ? bytesDone * 10 / totalBytes : bytesDone / (50L << 20);
            if (tenth != lastTenth) {
                lastTenth = tenth;
                log.info("weights download: {} MB{}", bytesDone >> 20,
                        totalBytes > 0 ? " of " + (totalBytes >> 20) + " MB" : "");
            }
        }
    }
}
