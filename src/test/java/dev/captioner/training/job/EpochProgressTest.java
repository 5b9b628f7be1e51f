package dev.captioner.training.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which of a job's saved running-epoch figures its view shows, as the job trains, ends, or is interrupted. */
class EpochProgressTest {

    private static final List<TrainingJobView.LossPoint> PLOT = List.of(new TrainingJobView.LossPoint(600, 3.1),
            new TrainingJobView.LossPoint(1200, 2.9));

    /** Epoch 3 trains (or a crash left it there): two epochs are done, so it is the current one. */
    @Test
    void anUnfinishedEpochIsTheCurrentOne() {
        EpochProgress third = new EpochProgress(new TrainingJobView.CurrentEpoch(3, 1200, 4140, 2.9, 2.7), PLOT);
        assertThat(third.unfinished(2)).isEqualTo(third.current());
        assertThat(third.plot(2)).isEqualTo(PLOT);
    }

    /** Its last batch done, epoch 3 is one of the job's epochs: only its plot stays, until epoch 4 trains. */
    @Test
    void aFinishedEpochKeepsOnlyItsPlot() {
        EpochProgress third = new EpochProgress(new TrainingJobView.CurrentEpoch(3, 4140, 4140, 2.5, 2.4), PLOT);
        assertThat(third.unfinished(3)).isNull();
        assertThat(third.plot(3)).isEqualTo(PLOT);
        assertThat(third.plot(4)).as("figures older than the last finished epoch").isNull();
    }
}
