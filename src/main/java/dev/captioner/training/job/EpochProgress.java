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

    /**
     * The job's {@code currentEpoch} while this epoch is unfinished: being trained, or where an interrupted job left
     * it (resumed, it trains the epoch again from its first batch, and these figures give way to the new ones).
     * Once finished the epoch is one of the job's {@code epochs}.
     */
    TrainingJobView.CurrentEpoch unfinished(int epochsDone) {
        return epoch() > epochsDone ? current : null;
    }

    /** The job's {@code runningLoss}: the plot of the unfinished epoch, or else of the last finished one. */
    List<TrainingJobView.LossPoint> plot(int epochsDone) {
        return epoch() >= epochsDone ? runningLoss : null;
    }
}
