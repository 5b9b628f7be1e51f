package dev.captioner.training.job;

import java.util.List;

/**
 * The latest figures of the epoch being trained, as the job keeps them in memory and in its execution context:
 * where the epoch stands and its running loss so far ({@link RunningLossSeries}).
 */
public record EpochProgress(TrainingJobView.CurrentEpoch current, List<TrainingJobView.LossPoint> runningLoss) {

    public int epoch() {
        return current.epoch();
    }
}
