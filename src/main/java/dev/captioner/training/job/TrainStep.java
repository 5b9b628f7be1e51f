package dev.captioner.training.job;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.captioner.language.GridShape;
import dev.captioner.language.Vocabulary;
import dev.captioner.serving.ServingLoad;
import dev.captioner.training.CaptionExample;
import dev.captioner.training.DecoderTrainer;
import dev.captioner.training.TrainingCancelledException;
import dev.captioner.training.ValidationCaptionMetrics;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Trains the decoder one epoch per step iteration: after each epoch the trainer writes its checkpoint and
 * the step commits the epoch's loss and validation metrics, so a restarted job continues after the last
 * finished epoch. Between batches it yields to caption requests in flight.
 */
class TrainStep extends JobStep {

    static final String EPOCHS = "epochs";
    static final String IMAGES_WITHOUT_FEATURES = "imagesWithoutFeatures";

    private final ServingLoad load;
    private final Duration maxYield;
    private final JobMemoryBudget budget;

    TrainStep(JobStates states, ServingLoad load, Duration maxYield, JobMemoryBudget budget) {
        super(states);
        this.load = load;
        this.maxYield = maxYield;
        this.budget = budget;
    }

    @Override
    RepeatStatus iterate(JobState state, StepExecution step, StepContribution contribution) throws Exception {
        if (state.run == null) {
            start(state, step.getExecutionContext());
        }
        if (state.run.hasNextEpoch()) {
            BooleanSupplier betweenBatches = () -> {
                try {
                    load.yieldToRequests(maxYield);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
                return states.isCancelRequested(state.jobId) || states.isShuttingDown();
            };
            int epochsBefore = state.run.history().size();
            try {
                state.run.runEpoch(betweenBatches, fraction -> state.live(TrainingStep.TRAIN,
                        (epochsBefore + fraction) / state.request.epochs()));
            } catch (TrainingCancelledException e) {
                if (states.isShuttingDown()) {
                    throw new ServiceStoppingException();
                }
                throw new JobInterruptedException("cancelled by an admin during epoch " + (epochsBefore + 1));
            }
        }
        step.getExecutionContext().putString(EPOCHS, states.parameters().json().writeValueAsString(state.run.history()));
        state.live(TrainingStep.TRAIN, (double) state.run.history().size() / state.request.epochs());
        return state.run.hasNextEpoch() ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
    }

    private void start(JobState state, ExecutionContext context) throws IOException, JobInterruptedException {
        JobDataset dataset = state.dataset();
        Vocabulary vocabulary = state.vocabulary();
        float[][] features = state.features(states);
        int trainRows = dataset.train().size();
        float[][] trainFeatures = Arrays.copyOfRange(features, 0, trainRows);
        float[][] validationFeatures = Arrays.copyOfRange(features, trainRows, features.length);
        int missing = 0;
        for (float[] row : features) {
            missing += row == null ? 1 : 0;
        }
        context.putInt(IMAGES_WITHOUT_FEATURES, missing);
        // checked again with what the job read: a job queued before the budget was set was never checked
        budget.requireFits(budget.estimate(state.request, state.annotationBytes(), features.length - missing,
                vocabulary.size()));
        int maxLength = state.request.maxLength();
        List<CaptionExample> train = dataset.train().examples(vocabulary, maxLength, trainFeatures, 0);
        List<CaptionExample> validation = dataset.validation().examples(vocabulary, maxLength, validationFeatures,
                trainRows);
        if (train.isEmpty()) {
            throw new IllegalStateException("no training image could be read, so there is nothing to train on");
        }
        int metricsImages = Math.min(state.request.metricsImages(), validationFeatures.length);
        DecoderTrainer.ValidationMetrics metrics = metricsImages == 0 ? decoder -> Map.of()
                : new ValidationCaptionMetrics(vocabulary, Arrays.copyOf(validationFeatures, metricsImages),
                        dataset.validation().references().subList(0, metricsImages), maxLength,
                        () -> states.isCancelRequested(state.jobId) || states.isShuttingDown());
        GridShape grid = state.request.encoderLayer().grid().orElse(null);
        state.run = new DecoderTrainer(state.request.trainingConfig(), metrics, grid)
                .start(features, train, validation, vocabulary.size(), state.checkpointDir());
    }
}
