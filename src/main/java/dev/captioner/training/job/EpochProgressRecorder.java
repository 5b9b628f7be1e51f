package dev.captioner.training.job;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import dev.captioner.training.DecoderTrainer;

/**
 * Keeps the running epoch's figures for the job's view: in memory after every batch (the view of a job running
 * here reads them from its {@link JobState}), and saved at most every {@link #SAVE_EVERY} and when training stops
 * (the epoch ends, or is cancelled or interrupted), so a crash, or a view from another process, loses at most that
 * much. A COCO batch takes about a second, so
 * saving every batch would be one job-repository write a second for an hour.
 */
final class EpochProgressRecorder implements DecoderTrainer.BatchListener {

    static final Duration SAVE_EVERY = Duration.ofSeconds(10);

    private final JobState state;
    private final Consumer<EpochProgress> save;
    private final LongSupplier nanoClock;
    private RunningLossSeries series = new RunningLossSeries();
    private int epoch;
    private long lastSaved;

    /** @param save writes the figures where the view finds them without this process */
    EpochProgressRecorder(JobState state, Consumer<EpochProgress> save, LongSupplier nanoClock) {
        this.state = state;
        this.save = save;
        this.nanoClock = nanoClock;
        this.lastSaved = nanoClock.getAsLong();
    }

    @Override
    public void onBatch(DecoderTrainer.BatchProgress batch) {
        if (batch.epoch() != epoch) {
            epoch = batch.epoch();
            series = new RunningLossSeries();
        }
        series.add(batch.batch(), batch.runningLoss());
        EpochProgress progress = new EpochProgress(new TrainingJobView.CurrentEpoch(batch.epoch(), batch.batch(),
                batch.batches(), batch.runningLoss(), batch.lastBatchLoss()), series.points());
        state.epochProgress = progress;
        long now = nanoClock.getAsLong();
        if (now - lastSaved >= SAVE_EVERY.toNanos()) {
            save.accept(progress);
            lastSaved = now;
        }
    }

    /**
     * Saves the latest figures, whenever the last save was: when an epoch ends, and when training stops within one
     * (a cancel, a shutdown, a failure), so the job's view shows where it stopped.
     */
    void saveLatest() {
        EpochProgress progress = state.epochProgress;
        if (progress != null) {
            save.accept(progress);
            lastSaved = nanoClock.getAsLong();
        }
    }
}
