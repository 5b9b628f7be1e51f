package dev.captioner.training.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.captioner.training.DecoderTrainer;
import org.junit.jupiter.api.Test;

class EpochProgressRecorderTest {

    private final long[] now = {1_000};
    private final List<EpochProgress> saved = new ArrayList<>();
    private final JobState state = new JobState(5, null, null, null);
    private final EpochProgressRecorder recorder = new EpochProgressRecorder(state, saved::add, () -> now[0]);

    @Test
    void showsEveryBatchButSavesAtMostEveryInterval() {
        long second = 1_000_000_000L;
        for (int batch = 1; batch <= 100; batch++) {
            now[0] += second / 4;
            recorder.onBatch(new DecoderTrainer.BatchProgress(1, batch, 400, 5.0 - batch / 100.0, 4.0));
            assertThat(state.epochProgress.current().batch()).isEqualTo(batch);
        }
        // 100 batches of a quarter second: 25 s, so two saves 10 s apart, not 100
        assertThat(saved).extracting(p -> p.current().batch()).containsExactly(40, 80);
        EpochProgress latest = state.epochProgress;
        assertThat(latest.current()).isEqualTo(new TrainingJobView.CurrentEpoch(1, 100, 400, 4.0, 4.0));
        assertThat(latest.runningLoss()).hasSize(100);
        assertThat(latest.runningLoss().get(99)).isEqualTo(new TrainingJobView.LossPoint(100, 4.0));
    }

    @Test
    void savesTheLatestFiguresWhenAnEpochEndsAndStartsTheNextSeriesAfresh() {
        recorder.onBatch(new DecoderTrainer.BatchProgress(1, 1, 2, 3.0, 3.0));
        recorder.onBatch(new DecoderTrainer.BatchProgress(1, 2, 2, 2.5, 2.0));
        assertThat(saved).isEmpty();
        recorder.saveLatest();
        assertThat(saved).singleElement().satisfies(p -> {
            assertThat(p.current()).isEqualTo(new TrainingJobView.CurrentEpoch(1, 2, 2, 2.5, 2.0));
            assertThat(p.runningLoss()).containsExactly(new TrainingJobView.LossPoint(1, 3.0),
                    new TrainingJobView.LossPoint(2, 2.5));
        });

        recorder.onBatch(new DecoderTrainer.BatchProgress(2, 1, 2, 1.9, 1.9));
        assertThat(state.epochProgress.epoch()).isEqualTo(2);
        assertThat(state.epochProgress.runningLoss()).containsExactly(new TrainingJobView.LossPoint(1, 1.9));
    }
}
