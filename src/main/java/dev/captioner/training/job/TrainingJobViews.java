package dev.captioner.training.job;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.captioner.training.DecoderTrainer;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import tools.jackson.core.type.TypeReference;

/**
 * Training jobs as the admin API shows them: status, step, progress and ETA, images, features, epochs and
 * metrics, read from the job repository (what each step committed) and, for the running job, from its live
 * state between commits.
 */
public class TrainingJobViews {

    private final JobRepository repository;
    private final JobRecords records;
    private final JobStates states;
    private final TrainingJobParameters parameters;

    public TrainingJobViews(JobRepository repository, JobStates states) {
        this.repository = repository;
        this.records = new JobRecords(repository);
        this.states = states;
        this.parameters = states.parameters();
    }

    /** Newest first. */
    public List<TrainingJobView> list(int limit) {
        return repository.getJobInstances(JobRecords.JOB_NAME, 0, limit).stream()
                .map(instance -> get(instance.getInstanceId())).toList();
    }

    /** The job running in this process now, if any. */
    public Optional<TrainingJobView> runningHere() {
        return states.runningHere().map(this::get);
    }

    public TrainingJobView get(long id) {
        JobInstance instance = records.instance(id);
        List<JobExecution> executions = records.executions(instance);
        if (executions.isEmpty()) {
            throw new TrainingJobNotFoundException(id);
        }
        JobExecution first = executions.get(0);
        JobExecution last = executions.get(executions.size() - 1);
        boolean stillRunning = states.isRunningHere(id) && last.getStatus() == BatchStatus.STOPPED;
        JobStatus status = stillRunning ? JobStatus.RUNNING : JobStatus.of(last);
        TrainingJobRequest request = parameters.request(last.getJobParameters());
        Optional<JobState> live = states.find(id);

        TrainingStep currentStep = null;
        double progress = 0;
        ExecutionContext prepare = null;
        ExecutionContext features = null;
        List<DecoderTrainer.EpochResult> history = List.of();
        ExecutionContext evaluate = null;
        ExecutionContext register = null;
        for (TrainingStep name : TrainingStep.values()) {
            StepExecution step = repository.getLastStepExecution(instance, name.id());
            if (step == null) {
                continue;
            }
            currentStep = name;
            ExecutionContext context = step.getExecutionContext();
            switch (name) {
                case PREPARE -> prepare = context;
                case FEATURES -> features = context;
                case TRAIN -> history = context.containsKey(TrainStep.EPOCHS)
                        ? parameters.json().readValue(context.getString(TrainStep.EPOCHS),
                                new TypeReference<List<DecoderTrainer.EpochResult>>() { })
                        : List.of();
                case EVALUATE -> evaluate = context;
                case REGISTER -> register = context;
            }
            double fraction = step.getStatus() == BatchStatus.COMPLETED ? 1 : stepFraction(name, context, history.size(), request, live);
            progress += name.weight() * fraction;
        }
        if (last.getStatus() == BatchStatus.COMPLETED) {
            progress = 1;
        }

        List<TrainingJobView.Epoch> epochs = history.stream().map(e -> new TrainingJobView.Epoch(e.epoch(),
                e.trainLoss(), Double.isNaN(e.validationLoss()) ? null : e.validationLoss(), e.seconds(),
                e.tokensPerSecond(), e.learningRate(), e.metrics())).toList();

        // the live figures of a job training here, else the last ones saved (another process, or an ended job)
        Optional<EpochProgress> epochProgress = live.map(state -> state.epochProgress)
                .or(() -> recordedEpochProgress(executions));
        int epochsDone = history.size();
        TrainingJobView.CurrentEpoch currentEpoch = epochProgress.map(p -> p.unfinished(epochsDone)).orElse(null);
        List<TrainingJobView.LossPoint> runningLoss = epochProgress.map(p -> p.plot(epochsDone)).orElse(null);

        Long eta = status == JobStatus.RUNNING ? eta(currentStep, features, history, request, live) : null;
        TrainingJobView.Images images = prepare == null || !prepare.containsKey(PrepareStep.TRAIN_IMAGES) ? null
                : new TrainingJobView.Images(
                prepare.getInt(PrepareStep.TRAIN_IMAGES), prepare.getInt(PrepareStep.VALIDATION_IMAGES),
                prepare.getString(PrepareStep.VALIDATION_SOURCE),
                features == null ? null : features.getInt(FeatureStep.SKIPPED, 0),
                features == null || !features.containsKey(FeatureStep.SKIPPED_BY_REASON) ? null
                        : parameters.json().readValue(features.getString(FeatureStep.SKIPPED_BY_REASON),
                                new TypeReference<Map<String, Integer>>() { }),
                features == null || features.getString(FeatureStep.SKIPPED_EXAMPLES, "").isEmpty() ? null
                        : List.of(features.getString(FeatureStep.SKIPPED_EXAMPLES).split("\n")));
        TrainingJobView.Features featureView = features == null ? null : new TrainingJobView.Features(
                features.getInt(FeatureStep.NEXT, 0), features.getInt(FeatureStep.TOTAL, 0),
                features.getInt(FeatureStep.ENCODED, 0), features.getInt(FeatureStep.REUSED, 0));
        Map<String, Double> metrics = evaluate == null || !evaluate.containsKey(EvaluateStep.METRICS) ? null
                : parameters.json().readValue(evaluate.getString(EvaluateStep.METRICS),
                        new TypeReference<Map<String, Double>>() { });
        String error = !stillRunning && (last.getStatus() == BatchStatus.FAILED || last.getStatus() == BatchStatus.STOPPED)
                ? last.getExecutionContext().getString(JobOutcomeListener.ERROR, last.getExitStatus().getExitDescription()) : null;
        return new TrainingJobView(id, status, currentStep == null ? null : currentStep.id(), Math.min(1, progress), eta,
                stillRunning || (last.getStatus() == BatchStatus.STOPPING || states.isCancelRequested(id)) && status == JobStatus.RUNNING
                        ? Boolean.TRUE : null,
                instant(first.getCreateTime()), executions.stream().map(JobExecution::getStartTime)
                .filter(t -> t != null).findFirst().map(TrainingJobViews::instant).orElse(null),
                last.getStatus().isRunning() || stillRunning ? null : instant(last.getEndTime()),
                executions.size(), request, images, featureView,
                prepare == null || !prepare.containsKey(PrepareStep.VOCABULARY_SIZE) ? null
                        : prepare.getInt(PrepareStep.VOCABULARY_SIZE), epochs, metrics,
                evaluate == null || !evaluate.containsKey(EvaluateStep.CONFIDENCE) ? null
                        : parameters.json().readValue(evaluate.getString(EvaluateStep.CONFIDENCE),
                                new TypeReference<Map<String, Object>>() { }),
                register == null ? null : register.getString(RegisterStep.MODEL_ID, null),
                register == null ? null : activated(register),
                register == null ? null : register.getString(RegisterStep.ACTIVATION_REFUSED, null), error,
                currentEpoch, runningLoss, last.getExecutionContext().getString(TrainingJobs.RUNNER, null));
    }

    /** Newest execution first: a restarted job's new execution has none until it has trained a while. */
    private Optional<EpochProgress> recordedEpochProgress(List<JobExecution> executions) {
        for (int i = executions.size() - 1; i >= 0; i--) {
            ExecutionContext context = executions.get(i).getExecutionContext();
            if (context.containsKey(TrainStep.EPOCH_PROGRESS)) {
                return Optional.of(parameters.json().readValue(context.getString(TrainStep.EPOCH_PROGRESS),
                        EpochProgress.class));
            }
        }
        return Optional.empty();
    }

    /** True once activated, false when the activation gate refused it, absent when not asked. */
    private static Boolean activated(ExecutionContext register) {
        if (register.containsKey(RegisterStep.ACTIVATED)) {
            return Boolean.TRUE;
        }
        return register.containsKey(RegisterStep.ACTIVATION_REFUSED) ? Boolean.FALSE : null;
    }

    private static double stepFraction(TrainingStep name, ExecutionContext context, int epochsDone,
                                       TrainingJobRequest request, Optional<JobState> live) {
        if (live.isPresent() && name == live.get().liveStep) {
            return live.get().liveFraction;
        }
        return switch (name) {
            case FEATURES -> context.getInt(FeatureStep.TOTAL, 0) == 0 ? 0
                    : (double) context.getInt(FeatureStep.NEXT, 0) / context.getInt(FeatureStep.TOTAL);
            case TRAIN -> (double) epochsDone / request.epochs();
            default -> 0;
        };
    }

    private static Long eta(TrainingStep step, ExecutionContext features, List<DecoderTrainer.EpochResult> history,
                            TrainingJobRequest request, Optional<JobState> live) {
        double seconds = 0;
        boolean known = false;
        if (step == TrainingStep.FEATURES && live.isPresent() && live.get().secondsPerEncodedImage > 0
                && features != null) {
            int remaining = features.getInt(FeatureStep.TOTAL, 0) - features.getInt(FeatureStep.NEXT, 0);
            seconds += remaining * live.get().secondsPerEncodedImage;
            known = true;
        }
        if (!history.isEmpty() && (step == TrainingStep.FEATURES || step == TrainingStep.TRAIN)) {
            double perEpoch = history.stream().mapToDouble(DecoderTrainer.EpochResult::seconds).average().orElse(0);
            double epochsLeft = request.epochs() - history.size();
            if (step == TrainingStep.TRAIN && live.isPresent() && live.get().liveStep == TrainingStep.TRAIN) {
                epochsLeft = request.epochs() * (1 - live.get().liveFraction);
            }
            seconds += Math.max(0, epochsLeft) * perEpoch;
            known = true;
        }
        return known ? Math.round(seconds) : null;
    }

    private static Instant instant(LocalDateTime time) {
        return time == null ? null : time.atZone(ZoneId.systemDefault()).toInstant();
    }
}
