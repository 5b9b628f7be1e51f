package dev.captioner.training.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void showsBarPercentStepDetailAndEta() {
        TrainingJobView job = new TrainingJobView(3, "RUNNING", "features", 0.25, 4000L, null, null, null, null, 1,
                null, null, new TrainingJobView.Features(120, 480, 120, 0), null, List.of(), null, null, null, null);
        assertThat(ProgressBar.render(job))
                .isEqualTo("[########......................]  25% running features 120/480 images  ETA 1h06m");
        assertThat(ProgressBar.duration(59)).isEqualTo("59s");
        assertThat(ProgressBar.duration(61)).isEqualTo("1m01s");
    }
}
