package dev.captioner.training.job;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import dev.captioner.language.GridShape;
import dev.captioner.language.Vocabulary;
import dev.captioner.serving.ServingLoad;
import dev.captioner.training.CaptionExample;
import dev.captioner.training.DecoderTrainer;
import dev.captioner.training.TrainingCancelledException;
import dev.captioner.training.ValidationCaptionMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Trains the decoder one epoch per step iteration: after each epoch the trainer writes its checkpoint and
 * the step commits the epoch's loss and validation metrics, so a restarted job continues after the last
 * finished epoch. Between batches it yields to caption requests in flight, and records the running epoch's
 * figures ({@link EpochProgressRecorder}).
 */
class TrainStep extends JobStep {

    private static final Logger log = LoggerFactory.getLogger(TrainStep.class);

    static final String EPOCHS = "epochs";
    static final String IMAGES_WITHOUT_FEATURES = "imagesWithoutFeatures";
    /**
     * Job execution-context key of the running epoch's figures: the job's context, not the step's, since a
     * failed or cancelled iteration rolls the step's context back to the last finished epoch.
     */
    static final String EPOCH_PROGRESS = "epochProgress";

    private final ServingLoad load;
    private final Duration maxYield;
    private final JobMemoryBudget budget;
    private final JobRepository repository;
    private final LongSupplier nanoClock;

    TrainStep(JobStates states, ServingLoad load, Duration maxYield, JobMemoryBudget budget, JobRepository repository,
              LongSupplier nanoClock) {
        super(states);
        this.load = load;
        this.maxYield = maxYield;
        this.budget = budget;
        this.repository = repository;
        this.nanoClock = nanoClock;
    }

    @Override
    RepeatStatus iterate(JobState state, StepExecution step, StepContribution contribution) throws Exception {
        if (state.run == null) {
            start(state, step.getExecutionContext());
            JobExecution job = step.getJobExecution();
            state.epochRecorder = new EpochProgressRecorder(state, progress -> save(state.jobId, job, progress),
                    nanoClock);
        }
        if (state.run.hasNextEpoch()) {
            BooleanSupplier betweenBatches = () -> {
                try {
                    load.yieldToRequests(maxYield);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
                return states.isCancelRequested(state.jobId) || states.isInterrupted(state.jobId);
            };
            int epochsBefore = state.run.history().size();
            try {
                state.run.runEpoch(betweenBatches, batch -> {
                    state.live(TrainingStep.TRAIN, (epochsBefore + batch.fraction()) / state.request.epochs());
                    state.epochRecorder.onBatch(batch);
                });
            } catch (TrainingCancelledException e) {
                if (states.isInterrupted(state.jobId)) {
                    throw new ServiceStoppingException();
                }
                throw new JobInterruptedException("cancelled by an admin during epoch " + (epochsBefore + 1));
            } finally {
                state.epochRecorder.saveLatest();
            }
        }
        step.getExecutionContext().putString(EPOCHS, states.parameters().json().writeValueAsString(state.run.history()));
        state.live(TrainingStep.TRAIN, (double) state.run.history().size() / state.request.epochs());
        return state.run.hasNextEpoch() ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
    }

    /** The figures are for the view only: a job repository that refuses them must not stop the training. */
    private void save(long jobId, JobExecution job, EpochProgress progress) {
        try {
            job.getExecutionContext().putString(EPOCH_PROGRESS, states.parameters().json().writeValueAsString(progress));
            repository.updateExecutionContext(job);
        } catch (RuntimeException e) {
            log.warn("training job {}: the running epoch's figures could not be saved: {}", jobId, e.getMessage());
        }
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
                        () -> states.isCancelRequested(state.jobId) || states.isInterrupted(state.jobId));
        GridShape grid = state.request.encoderLayer().grid().orElse(null);
        state.run = new DecoderTrainer(state.request.trainingConfig(), metrics, grid)
                .start(features, train, validation, vocabulary.size(), state.checkpointDir());
    }
}
