package dev.captioner.training.job;

import dev.captioner.serving.ModelRuntime;
import dev.captioner.vision.EncoderLayer;
import dev.captioner.vision.EncoderWeights;
import org.springframework.util.unit.DataSize;

/**
 * Refuses a job whose {@link JobMemoryEstimate} is over {@code captioner.training.memory-budget}: at submit time
 * from the dataset's survey, and again before training from what the job actually read (its vocabulary, the
 * images that have features), because a job queued or resumed from before the budget was lowered has not been
 * checked against it.
 */
class JobMemoryBudget {

    private final DataSize budget;
    private final ModelRuntime runtime;

    JobMemoryBudget(DataSize budget, ModelRuntime runtime) {
        this.budget = budget;
        this.runtime = runtime;
    }

    JobMemoryEstimate estimate(TrainingJobRequest request, long annotationBytes, long images, long vocabularySize) {
        return JobMemoryEstimate.of(request, annotationBytes, images, vocabularySize, !sharesServedEncoder(request));
    }

    void requireFits(JobMemoryEstimate estimate) {
        if (estimate.total() > budget.toBytes()) {
            throw new JobTooLargeException("the job would need " + estimate.describe() + ", over the training "
                    + "memory budget of " + JobMemoryEstimate.size(budget.toBytes())
                    + " (captioner.training.memory-budget); ask for a smaller featureBatchSize, batchSize, "
                    + "hiddenSize or embeddingSize, a higher minWordCount, or fewer images");
        }
    }

    long bytes() {
        return budget.toBytes();
    }

    private boolean sharesServedEncoder(TrainingJobRequest request) {
        // the served encoder's VGG16 serves either layer (a view over the same network) when the weights match
        String wanted = EncoderLayer.FC7.encoderId(EncoderWeights.parse(request.encoderWeights()));
        String wantedGrid = EncoderLayer.CONV5_3.encoderId(EncoderWeights.parse(request.encoderWeights()));
        return runtime.current().map(model -> model.encoder().id().equals(wanted)
                || model.encoder().id().equals(wantedGrid)).orElse(false);
    }
}
