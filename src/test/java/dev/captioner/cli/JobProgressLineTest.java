package dev.captioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.captioner.training.job.JobStatus;
import dev.captioner.training.job.TrainingJobRequest;
import dev.captioner.training.job.TrainingJobView;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class JobProgressLineTest {

    @Test
    void showsBarPercentStepDetailAndEta() {
        TrainingJobView job = new TrainingJobView(3, JobStatus.RUNNING, "features", 0.25, 4000L, null, null, null, null, 1,
                null, null, new TrainingJobView.Features(120, 480, 120, 0), null, List.of(), null, null, null, null, null,
                null, null, null, null);
        assertThat(JobProgressLine.render(job))
                .isEqualTo("[########......................]  25% running features 120/480 images  ETA 1h06m");
        assertThat(JobProgressLine.duration(59)).isEqualTo("59s");
        assertThat(JobProgressLine.duration(61)).isEqualTo("1m01s");
    }

    /** An epoch of COCO is an hour: while one trains the line says which batch it is at and its running loss. */
    @Test
    void showsTheRunningEpochsBatchAndLoss() {
        JsonMapper json = JsonMapper.builder().build();
        TrainingJobRequest request = TrainingJobRequest.fromJson(json.readTree("""
                {"dataset":{"annotations":"coco/captions.json","images":"coco/images"},"epochs":6}"""), json);
        TrainingJobView training = new TrainingJobView(4, JobStatus.RUNNING, "train", 0.6, 7300L, null, null, null,
                null, 1, request, null, null, 9500, List.of(), null, null, null, null, null, null,
                new TrainingJobView.CurrentEpoch(3, 120, 4140, 2.87549, 2.7), List.of(), null);
        assertThat(JobProgressLine.render(training))
                .isEqualTo("[##################............]  60% running train epoch 3/6 batch 120/4140 loss 2.875"
                        + "  ETA 2h01m");

        // between epochs, and for a job from before running losses were recorded: the epochs finished
        TrainingJobView betweenEpochs = new TrainingJobView(4, JobStatus.RUNNING, "train", 0.6, 7300L, null, null,
                null, null, 1, request, null, null, 9500, List.of(), null, null, null, null, null, null, null, null, null);
        assertThat(JobProgressLine.render(betweenEpochs)).contains("running train 0/6 epochs  ETA");
    }
}
