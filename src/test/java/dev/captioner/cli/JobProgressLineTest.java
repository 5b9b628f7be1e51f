package dev.captioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.captioner.training.job.JobStatus;
import dev.captioner.training.job.TrainingJobView;
import org.junit.jupiter.api.Test;

class JobProgressLineTest {

    @Test
    void showsBarPercentStepDetailAndEta() {
        TrainingJobView job = new TrainingJobView(3, JobStatus.RUNNING, "features", 0.25, 4000L, null, null, null, null, 1,
                null, null, new TrainingJobView.Features(120, 480, 120, 0), null, List.of(), null, null, null, null, null, null);
        assertThat(JobProgressLine.render(job))
                .isEqualTo("[########......................]  25% running features 120/480 images  ETA 1h06m");
        assertThat(JobProgressLine.duration(59)).isEqualTo("59s");
        assertThat(JobProgressLine.duration(61)).isEqualTo("1m01s");
    }
}
