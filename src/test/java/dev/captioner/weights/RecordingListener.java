package dev.captioner.weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes down what a fetch reported, as short lines a test can compare. */
final class RecordingListener implements FetchListener {

    final List<String> events = new ArrayList<>();
    final List<long[]> progress = new ArrayList<>();
    final List<FetchAttempt> failures = new ArrayList<>();

    @Override
    public synchronized void started(WeightsSource source, int attempt, long resumeFrom, long totalBytes) {
        events.add("started " + source.name() + " attempt " + attempt + " from " + resumeFrom + " of " + totalBytes);
    }

    @Override
    public synchronized void progress(long bytesDone, long totalBytes) {
        progress.add(new long[] {bytesDone, totalBytes});
    }

    @Override
    public synchronized void failed(FetchAttempt attempt) {
        failures.add(attempt);
        events.add("failed " + attempt);
    }

    @Override
    public synchronized void verifying(Path file) {
        events.add("verifying " + file.getFileName());
    }

    @Override
    public synchronized void installed(InstalledWeight weight) {
        events.add("installed " + weight.fileName() + " from " + weight.sourceName());
    }

    synchronized long[] lastProgress() {
        return progress.get(progress.size() - 1);
    }
}
