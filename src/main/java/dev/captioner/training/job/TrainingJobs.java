package dev.captioner.training.job;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.config.DataDirectory;
import dev.captioner.store.ModelStore;
import dev.captioner.training.DecoderTrainer;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.weights.ImagenetWeights;
import dev.captioner.weights.WeightsUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import tools.jackson.core.type.TypeReference;

/**
 * Training jobs: submit, list, inspect, cancel, restart. Jobs are Spring Batch job instances in the JDBC job
 * repository (a job's id is its instance id); they run one at a time on a dedicated thread, in submission
 * order. At startup, jobs that were queued are queued again and jobs that were running when the process
 * stopped are marked failed and, if {@code captioner.training.resume-interrupted}, restarted: Spring Batch
 * skips their completed steps and the steps continue from their last commit.
 */
public class TrainingJobs implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(TrainingJobs.class);
    public static final String JOB_NAME = "captionTraining";
    static final String REQUEST = "request";
    static final String SUBMISSION = "submission";
    static final String ERROR = "error";
    static final String INTERRUPTED = "interrupted";
    static final List<String> STEPS = List.of(PrepareStep.NAME, FeatureStep.NAME, TrainStep.NAME, EvaluateStep.NAME,
            RegisterStep.NAME);
    /** Share of the whole job each step stands for in {@code progress}. */
    private static final Map<String, Double> STEP_WEIGHTS = Map.of(PrepareStep.NAME, 0.02, FeatureStep.NAME, 0.48,
            TrainStep.NAME, 0.45, EvaluateStep.NAME, 0.04, RegisterStep.NAME, 0.01);

    private final JobRepository repository;
    private final JobStates states;
    private final DataDirectory data;
    private final ModelStore store;
    private final CaptionerProperties properties;
    private final ImagenetWeights imagenet;
    private final Object lock = new Object();
    private final Set<Long> runningHere = ConcurrentHashMap.newKeySet();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "training-job");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    });
    private volatile Job job;
    private volatile boolean shuttingDown;

    public TrainingJobs(JobRepository repository, JobStates states, DataDirectory data, ModelStore store,
                        CaptionerProperties properties, ImagenetWeights imagenet) {
        this.repository = repository;
        this.imagenet = imagenet;
        this.states = states;
        this.data = data;
        this.store = store;
        this.properties = properties;
    }

    /** Set once the job is built (the job lists this object as its listener, so they are wired in two steps). */
    void setJob(Job job) {
        this.job = job;
    }

    public TrainingJobView submit(TrainingJobRequest submitted) {
        TrainingJobRequest request = submitted.withDefaults(properties.encoderWeights());
        request.validate();
        data.existingFile(request.dataset().annotations(), "dataset.annotations");
        data.existingFolder(request.dataset().images(), "dataset.images");
        if (request.validation() != null) {
            data.existingFile(request.validation().annotations(), "validation.annotations");
            data.existingFolder(request.validation().images(), "validation.images");
        }
        if (EncoderWeights.parse(request.encoderWeights()).kind() == EncoderWeights.Kind.IMAGENET && !imagenet.available()) {
            throw new WeightsUnavailableException("the job asks for ImageNet VGG16 weights (encoderWeights '"
                    + request.encoderWeights() + "'), and none are installed in " + imagenet.installDir() + ". "
                    + ImagenetWeights.howToInstall() + "; or ask for \"encoderWeights\": \"random:<seed>\"");
        }
        if (request.modelId() != null && store.exists(request.modelId())) {
            throw new TrainingJobConflictException("a model '" + request.modelId() + "' already exists");
        }
        JobParameters parameters = new JobParametersBuilder()
                .addString(REQUEST, JobStates.JSON.writeValueAsString(request), true)
                .addString(SUBMISSION, UUID.randomUUID().toString(), true)
                .toJobParameters();
        JobExecution execution;
        synchronized (lock) {
            JobInstance instance = repository.createJobInstance(JOB_NAME, parameters);
            execution = repository.createJobExecution(instance, parameters, new ExecutionContext());
        }
        log.info("training job {} queued: {}", execution.getJobInstance().getInstanceId(),
                request.dataset().annotations());
        enqueue(execution.getId());
        return view(execution.getJobInstance().getInstanceId());
    }

    public List<TrainingJobView> list(int limit) {
        return repository.getJobInstances(JOB_NAME, 0, limit).stream()
                .map(instance -> view(instance.getInstanceId())).toList();
    }

    public TrainingJobView get(long id) {
        return view(id);
    }

    public TrainingJobView cancel(long id) {
        synchronized (lock) {
            JobExecution last = lastExecution(id);
            BatchStatus status = last.getStatus();
            if (status == BatchStatus.STARTING && !runningHere.contains(id)) {
                finish(last, BatchStatus.STOPPED, "cancelled before it started", null);
            } else if (status.isRunning()) {
                states.requestCancel(id);
            } else {
                throw new TrainingJobConflictException("job " + id + " is " + status(last) + " and cannot be cancelled");
            }
        }
        log.info("training job {}: cancel requested", id);
        return view(id);
    }

    /** Continues a failed, interrupted or cancelled job from where it stopped. */
    public TrainingJobView restart(long id) {
        JobExecution execution;
        synchronized (lock) {
            JobExecution last = lastExecution(id);
            if (last.getStatus().isRunning() && !runningHere.contains(id) && last.getStatus() != BatchStatus.STARTING) {
                markInterrupted(last);
                last = lastExecution(id);
            }
            if (last.getStatus() != BatchStatus.FAILED && last.getStatus() != BatchStatus.STOPPED) {
                throw new TrainingJobConflictException("job " + id + " is " + status(last)
                        + "; only a failed, interrupted or cancelled job can be restarted");
            }
            states.clearCancel(id);
            execution = repository.createJobExecution(last.getJobInstance(), last.getJobParameters(),
                    last.getExecutionContext());
        }
        log.info("training job {} restarted (execution {})", id, execution.getId());
        enqueue(execution.getId());
        return view(id);
    }

    /**
     * Picks up after the previous process: queued jobs are queued again; running ones are marked
     * interrupted and, if configured, restarted. Only one process may use a job repository at a time.
     */
    public void recoverAtStartup() {
        List<JobInstance> instances = new ArrayList<>(repository.findJobInstances(JOB_NAME));
        instances.sort(Comparator.comparingLong(JobInstance::getInstanceId));
        for (JobInstance instance : instances) {
            JobExecution last = repository.getLastJobExecution(instance);
            if (last == null) {
                continue;
            }
            long id = instance.getInstanceId();
            if (last.getStatus() == BatchStatus.STARTING) {
                log.info("training job {}: queued again", id);
                enqueue(last.getId());
            } else if (last.getStatus().isRunning() || last.getStatus() == BatchStatus.UNKNOWN
                    || (last.getStatus() == BatchStatus.FAILED && last.getExecutionContext().containsKey(INTERRUPTED))) {
                if (last.getStatus() != BatchStatus.FAILED) {
                    markInterrupted(last);
                }
                if (properties.training().resumeInterrupted()) {
                    log.info("training job {} was interrupted when the service stopped: resuming it", id);
                    restart(id);
                } else {
                    log.warn("training job {} was interrupted when the service stopped; restart it with "
                            + "POST /admin/training-jobs/{}/restart", id, id);
                }
            }
        }
    }

    /** Stops taking work; the running job ends at its next batch boundary and is resumed at the next start. */
    public void shutdown() {
        shuttingDown = true;
        states.shutDown();
        runner.shutdown();
        try {
            if (!runner.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("a training job is still running at shutdown; it will be resumed at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }

    private void enqueue(long executionId) {
        runner.execute(() -> run(executionId));
    }

    private void run(long executionId) {
        JobExecution execution;
        long id;
        synchronized (lock) {
            execution = repository.getJobExecution(executionId);
            if (execution == null || execution.getStatus() != BatchStatus.STARTING || shuttingDown) {
                return;
            }
            id = execution.getJobInstance().getInstanceId();
            runningHere.add(id);
        }
        try {
            log.info("training job {}: starting (execution {})", id, executionId);
            job.execute(execution);
            log.info("training job {}: {}", id, status(lastExecution(id)));
        } catch (RuntimeException | org.springframework.batch.core.job.JobInterruptedException e) {
            log.error("training job {} could not run", id, e);
        } finally {
            runningHere.remove(id);
            states.release(id);
            states.clearCancel(id);
        }
    }

    @Override
    public void afterJob(JobExecution execution) {
        if (execution.getStatus() == BatchStatus.STOPPED) {
            execution.getExecutionContext().putString(ERROR, "cancelled by an admin");
            repository.updateExecutionContext(execution);
        }
        if (execution.getStatus() == BatchStatus.FAILED) {
            Throwable failure = execution.getAllFailureExceptions().stream().findFirst().orElse(null);
            Throwable cause = failure;
            while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            // the step's own exception says what failed; its root cause only where it has no message
            String message = failure == null ? "failed" : failure.getMessage() != null ? failure.getMessage()
                    : cause.getClass().getSimpleName() + ": " + cause.getMessage();
            execution.getExecutionContext().putString(ERROR, message);
            if (cause instanceof ServiceStoppingException) {
                execution.getExecutionContext().putString(INTERRUPTED, "shutdown");
            }
            repository.updateExecutionContext(execution);
        }
    }

    private void markInterrupted(JobExecution stale) {
        JobExecution execution = repository.getJobExecution(stale.getId());
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStatus().isRunning()) {
                step.setStatus(BatchStatus.FAILED);
                step.setExitStatus(ExitStatus.FAILED.addExitDescription("interrupted: the process stopped"));
                step.setEndTime(LocalDateTime.now());
                repository.update(step);
            }
        }
        finish(execution, BatchStatus.FAILED, "interrupted: the service stopped while this job was running", "crash");
    }

    private void finish(JobExecution execution, BatchStatus status, String message, String interrupted) {
        execution.setStatus(status);
        execution.setExitStatus(new ExitStatus(status.name(), message));
        execution.setEndTime(LocalDateTime.now());
        execution.getExecutionContext().putString(ERROR, message);
        if (interrupted != null) {
            execution.getExecutionContext().putString(INTERRUPTED, interrupted);
        }
        repository.update(execution);
        repository.updateExecutionContext(execution);
    }

    private JobExecution lastExecution(long id) {
        JobInstance instance = instance(id);
        JobExecution last = repository.getLastJobExecution(instance);
        if (last == null) {
            throw new TrainingJobNotFoundException(id);
        }
        return last;
    }

    private JobInstance instance(long id) {
        JobInstance instance = repository.getJobInstance(id);
        if (instance == null || !JOB_NAME.equals(instance.getJobName())) {
            throw new TrainingJobNotFoundException(id);
        }
        return instance;
    }

    static String status(JobExecution execution) {
        return switch (execution.getStatus()) {
            case STARTING -> "QUEUED";
            case STARTED, STOPPING -> "RUNNING";
            case COMPLETED -> "SUCCEEDED";
            case STOPPED, ABANDONED -> "CANCELLED";
            case FAILED, UNKNOWN -> "FAILED";
        };
    }

    private TrainingJobView view(long id) {
        JobInstance instance = instance(id);
        List<JobExecution> executions = new ArrayList<>(repository.getJobExecutions(instance));
        executions.sort(Comparator.comparingLong(JobExecution::getId));
        if (executions.isEmpty()) {
            throw new TrainingJobNotFoundException(id);
        }
        JobExecution first = executions.get(0);
        JobExecution last = executions.get(executions.size() - 1);
        String status = status(last);
        TrainingJobRequest request = JobStates.JSON.readValue(last.getJobParameters().getString(REQUEST),
                TrainingJobRequest.class);
        Optional<JobState> live = states.find(id);

        String currentStep = null;
        double progress = 0;
        ExecutionContext prepare = null;
        ExecutionContext features = null;
        List<DecoderTrainer.EpochResult> history = List.of();
        ExecutionContext evaluate = null;
        ExecutionContext register = null;
        for (String name : STEPS) {
            StepExecution step = repository.getLastStepExecution(instance, name);
            if (step == null) {
                continue;
            }
            currentStep = name;
            ExecutionContext context = step.getExecutionContext();
            switch (name) {
                case PrepareStep.NAME -> prepare = context;
                case FeatureStep.NAME -> features = context;
                case TrainStep.NAME -> history = context.containsKey(TrainStep.EPOCHS)
                        ? JobStates.JSON.readValue(context.getString(TrainStep.EPOCHS),
                                new TypeReference<List<DecoderTrainer.EpochResult>>() { })
                        : List.of();
                case EvaluateStep.NAME -> evaluate = context;
                default -> register = context;
            }
            double fraction = step.getStatus() == BatchStatus.COMPLETED ? 1 : stepFraction(name, context, history.size(), request, live);
            progress += STEP_WEIGHTS.get(name) * fraction;
        }
        if (last.getStatus() == BatchStatus.COMPLETED) {
            progress = 1;
        }

        List<TrainingJobView.Epoch> epochs = history.stream().map(e -> new TrainingJobView.Epoch(e.epoch(),
                e.trainLoss(), Double.isNaN(e.validationLoss()) ? null : e.validationLoss(), e.seconds(),
                e.tokensPerSecond(), e.learningRate(), e.metrics())).toList();

        Long eta = "RUNNING".equals(status) ? eta(currentStep, features, history, request, live) : null;
        TrainingJobView.Images images = prepare == null || !prepare.containsKey(PrepareStep.TRAIN_IMAGES) ? null
                : new TrainingJobView.Images(
                prepare.getInt(PrepareStep.TRAIN_IMAGES), prepare.getInt(PrepareStep.VALIDATION_IMAGES),
                prepare.getString(PrepareStep.VALIDATION_SOURCE),
                features == null ? null : features.getInt(FeatureStep.SKIPPED, 0),
                features == null || features.getString(FeatureStep.SKIPPED_EXAMPLES, "").isEmpty() ? null
                        : List.of(features.getString(FeatureStep.SKIPPED_EXAMPLES).split("\n")));
        TrainingJobView.Features featureView = features == null ? null : new TrainingJobView.Features(
                features.getInt(FeatureStep.NEXT, 0), features.getInt(FeatureStep.TOTAL, 0),
                features.getInt(FeatureStep.ENCODED, 0), features.getInt(FeatureStep.REUSED, 0));
        Map<String, Double> metrics = evaluate == null || !evaluate.containsKey(EvaluateStep.METRICS) ? null
                : JobStates.JSON.readValue(evaluate.getString(EvaluateStep.METRICS),
                        new TypeReference<Map<String, Double>>() { });
        String error = last.getStatus() == BatchStatus.FAILED || last.getStatus() == BatchStatus.STOPPED
                ? last.getExecutionContext().getString(ERROR, last.getExitStatus().getExitDescription()) : null;
        return new TrainingJobView(id, status, currentStep, Math.min(1, progress), eta,
                states.isCancelRequested(id) ? Boolean.TRUE : null,
                instant(first.getCreateTime()), executions.stream().map(JobExecution::getStartTime)
                .filter(t -> t != null).findFirst().map(TrainingJobs::instant).orElse(null),
                last.getStatus().isRunning() ? null : instant(last.getEndTime()),
                executions.size(), request, images, featureView,
                prepare == null || !prepare.containsKey(PrepareStep.VOCABULARY_SIZE) ? null
                        : prepare.getInt(PrepareStep.VOCABULARY_SIZE), epochs, metrics,
                register == null ? null : register.getString(RegisterStep.MODEL_ID, null),
                register == null || !register.containsKey(RegisterStep.ACTIVATED) ? null : Boolean.TRUE, error);
    }

    private static double stepFraction(String name, ExecutionContext context, int epochsDone,
                                       TrainingJobRequest request, Optional<JobState> live) {
        if (live.isPresent() && name.equals(live.get().liveStep)) {
            return live.get().liveFraction;
        }
        return switch (name) {
            case FeatureStep.NAME -> context.getInt(FeatureStep.TOTAL, 0) == 0 ? 0
                    : (double) context.getInt(FeatureStep.NEXT, 0) / context.getInt(FeatureStep.TOTAL);
            case TrainStep.NAME -> (double) epochsDone / request.epochs();
            default -> 0;
        };
    }

    private static Long eta(String step, ExecutionContext features, List<DecoderTrainer.EpochResult> history,
                            TrainingJobRequest request, Optional<JobState> live) {
        double seconds = 0;
        boolean known = false;
        if (FeatureStep.NAME.equals(step) && live.isPresent() && live.get().secondsPerEncodedImage > 0
                && features != null) {
            int remaining = features.getInt(FeatureStep.TOTAL, 0) - features.getInt(FeatureStep.NEXT, 0);
            seconds += remaining * live.get().secondsPerEncodedImage;
            known = true;
        }
        if (!history.isEmpty() && (FeatureStep.NAME.equals(step) || TrainStep.NAME.equals(step))) {
            double perEpoch = history.stream().mapToDouble(DecoderTrainer.EpochResult::seconds).average().orElse(0);
            double epochsLeft = request.epochs() - history.size();
            if (TrainStep.NAME.equals(step) && live.isPresent() && TrainStep.NAME.equals(live.get().liveStep)) {
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
