package dev.captioner.training.job;

import java.io.IOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.config.DataDirectory;
import dev.captioner.store.ModelConflictException;
import dev.captioner.store.ModelStoreException;
import dev.captioner.store.ModelStore;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.weights.ImagenetWeights;
import dev.captioner.weights.WeightsUnavailableException;
import jakarta.validation.Validator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Training jobs' lifecycle: submit, cancel, restart, and recovery. Jobs are Spring Batch job instances in the JDBC
 * job repository (a job's id is its instance id). Spring Batch's {@link JobOperator} stops queued jobs and
 * recovers executions a dead process left running. What it does not give is kept here: jobs run one at a time, in
 * submission order, on one thread, and wait as QUEUED (an execution created but not started, which survives a
 * restart of the service) until their turn. Of all processes sharing the repository only the runner
 * ({@link JobRunnerElection}) runs them; any of them takes submissions, cancels and restarts, which reach the
 * runner through the repository.
 */
public class TrainingJobs {

    private static final Logger log = LoggerFactory.getLogger(TrainingJobs.class);
    /** The key Spring Batch's {@code JobOperator.recover} marks a recovered execution with (and then skips it). */
    private static final String SPRING_BATCH_RECOVERED = "batch.recovered";
    /** Job execution context: resumes at startup in a row, carried from execution to execution. */
    static final String AUTOMATIC_RESUMES = "automaticResumes";
    /** Job execution context: the process that ran the execution (host name and process id). */
    static final String RUNNER = "runner";

    private final JobRepository repository;
    private final JobOperator operator;
    private final JobRecords records;
    private final JobStates states;
    private final DataDirectory data;
    private final ModelStore store;
    private final CaptionerProperties properties;
    private final ImagenetWeights imagenet;
    private final Validator validator;
    private final JobMemoryBudget budget;
    private final AfterJobMemoryRelease memoryRelease;
    private final Object lock = new Object();
    private final String processName;
    /** Executions handed to the worker and not yet run: each is taken once, whichever poll or call finds it. */
    private final Set<Long> dispatched = ConcurrentHashMap.newKeySet();
    private volatile boolean runsJobs;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "training-job");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    });
    private volatile Job job;

    public TrainingJobs(JobRepository repository, JobOperator operator, JobStates states, DataDirectory data,
                        ModelStore store, CaptionerProperties properties, ImagenetWeights imagenet, Validator validator,
                        JobMemoryBudget budget, AfterJobMemoryRelease memoryRelease, String processName) {
        this.repository = repository;
        this.operator = operator;
        this.records = new JobRecords(repository);
        this.states = states;
        this.data = data;
        this.store = store;
        this.properties = properties;
        this.imagenet = imagenet;
        this.validator = validator;
        this.budget = budget;
        this.memoryRelease = memoryRelease;
        this.processName = processName;
    }

    /** Set once the job is built. */
    void setJob(Job job) {
        this.job = job;
    }

    /** Queues a job; returns its id. */
    public long submit(TrainingJobRequest submitted) {
        TrainingJobRequest request = submitted.withDefaults(properties.encoderWeights());
        request.validate(validator);
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
        requireServable(request);
        budget.requireFits(estimate(request));
        JobParameters parameters = states.parameters().of(request);
        JobExecution execution;
        synchronized (lock) {
            if (request.modelId() != null) {
                requireModelIdFree(request.modelId(), null);
            }
            JobInstance instance = repository.createJobInstance(JobRecords.JOB_NAME, parameters);
            execution = repository.createJobExecution(instance, parameters, new ExecutionContext());
            String defaultId = RegisterStep.modelId(request, instance.getInstanceId());
            if (request.modelId() == null && store.exists(defaultId)) {
                // the default id is known only now: the job is taken back rather than failing after training
                repository.deleteJobExecution(execution);
                repository.deleteJobInstance(instance);
                throw new ModelConflictException("a model '" + defaultId + "' already exists, and that is the id "
                        + "this job's model would get; give the job a \"modelId\"");
            }
        }
        log.info("training job {} queued: {}{}", execution.getJobInstance().getInstanceId(),
                request.dataset().annotations(), runsJobs ? "" : " (another process runs the jobs)");
        dispatch(execution.getId());
        return execution.getJobInstance().getInstanceId();
    }

    /**
     * A job asked to activate its model must train behind weights the service may serve: with
     * {@code captioner.encoder-weights} set, activation refuses a model trained behind other weights (as
     * {@code ModelRuntime.activate} does), which would otherwise be found only after the whole job.
     */
    private void requireServable(TrainingJobRequest request) {
        String served = properties.encoderWeights();
        if (request.activate() && !served.isBlank()
                && !EncoderWeights.parse(served).equals(EncoderWeights.parse(request.encoderWeights()))) {
            throw new ModelStoreException("the job asks to activate its model (\"activate\": true), but it trains "
                    + "behind vgg16/" + EncoderWeights.parse(request.encoderWeights()) + " and this service serves "
                    + "vgg16/" + EncoderWeights.parse(served) + " only (captioner.encoder-weights); train behind "
                    + "those weights, or leave activate off");
        }
    }

    /**
     * A model id is taken by a stored model, and reserved by every job that is queued or running and would
     * register under it (its {@code modelId}, or its default {@code job-<id>}). Called under the lock.
     *
     * @param exceptJob the job that asks (on restart), or null
     */
    private void requireModelIdFree(String modelId, Long exceptJob) {
        if (exceptJob == null && store.exists(modelId)) {
            throw new ModelConflictException("a model '" + modelId + "' already exists");
        }
        for (JobInstance instance : repository.findJobInstances(JobRecords.JOB_NAME)) {
            long id = instance.getInstanceId();
            JobExecution last = repository.getLastJobExecution(instance);
            if (exceptJob != null && exceptJob == id || last == null || JobStatus.of(last).isFinished()) {
                continue;
            }
            if (RegisterStep.modelId(states.parameters().request(last.getJobParameters()), id).equals(modelId)) {
                throw new ModelConflictException("model id '" + modelId + "' is reserved by job " + id + ", which is "
                        + JobStatus.of(last).label() + "; give this job another \"modelId\"");
            }
        }
    }

    /** What the job will need, from its request and a survey of its dataset (read, not tokenised). */
    private JobMemoryEstimate estimate(TrainingJobRequest request) {
        DatasetSurvey survey;
        try {
            survey = DatasetSurvey.of(request, data);
        } catch (IOException e) {
            throw new InvalidJobRequestException("the dataset cannot be read: " + e.getMessage());
        }
        return budget.estimate(request, survey.annotationBytes(), survey.existingImages(), survey.vocabularySize());
    }

    /** A queued job is cancelled at once; a running one stops at its next batch (Spring Batch's stop). */
    public void cancel(long id) {
        synchronized (lock) {
            JobExecution last = repository.getJobExecution(records.lastExecution(id).getId());
            BatchStatus status = last.getStatus();
            if (status == BatchStatus.STOPPING || states.isRunningHere(id) && status == BatchStatus.STOPPED) {
                return;
            }
            if (status != BatchStatus.STARTING && status != BatchStatus.STARTED) {
                throw new TrainingJobConflictException("job " + id + " is " + JobStatus.of(last).label()
                        + " and cannot be cancelled");
            }
            if (status == BatchStatus.STARTED && !states.isRunningHere(id)) {
                // running in another process: Spring Batch's own cross-process stop, STOPPING in the repository,
                // which the runner's next poll (or its step's next commit) turns into a stop at the next batch
                last.setStatus(BatchStatus.STOPPING);
                repository.update(last);
                log.info("training job {}: cancel requested (it runs in another process)", id);
                return;
            }
            if (status == BatchStatus.STARTED) {
                // the job's thread stops itself at its next check (JobStep) and records STOPPED: JobOperator.stop
                // would also write the running step's execution from this thread, racing the step's own writes
                // (Spring Batch's OptimisticLockingFailureException, which left the job FAILED, "unknown state")
                states.requestCancel(id);
                log.info("training job {}: cancel requested", id);
                return;
            }
            try {
                operator.stop(last);
            } catch (JobExecutionNotRunningException e) {
                throw new TrainingJobConflictException("job " + id + " is no longer running");
            }
            if (status == BatchStatus.STARTING && !states.isRunningHere(id)) {
                finish(repository.getJobExecution(last.getId()), BatchStatus.STOPPED, "cancelled before it started");
            }
        }
        log.info("training job {}: cancel requested", id);
    }

    /**
     * Continues a failed, interrupted or cancelled job from where it stopped, as a new (queued) execution. An
     * admin's restart starts the count of automatic resumes afresh.
     */
    public void restart(long id) {
        restart(id, 0);
    }

    /** @param automaticResumes resumes at startup in a row, this one included; 0 for an admin's restart */
    private void restart(long id, int automaticResumes) {
        JobExecution execution;
        synchronized (lock) {
            if (states.isRunningHere(id)) {
                throw new TrainingJobConflictException("job " + id + " is still running (a cancelled job stops at "
                        + "its next batch); restart it once it has stopped");
            }
            JobExecution last = records.lastExecution(id);
            if (last.getStatus().isRunning() && last.getStatus() != BatchStatus.STARTING && !runsJobs) {
                throw new TrainingJobConflictException("job " + id + " is " + JobStatus.of(last).label()
                        + " in another process; only a failed, interrupted or cancelled job can be restarted");
            }
            if (last.getStatus().isRunning() && last.getStatus() != BatchStatus.STARTING) {
                // the runner runs every job: one running but not here was left by a process that died
                recoverInterrupted(last);
                last = records.lastExecution(id);
            }
            if (last.getStatus() != BatchStatus.FAILED && last.getStatus() != BatchStatus.STOPPED) {
                throw new TrainingJobConflictException("job " + id + " is " + JobStatus.of(last).label()
                        + "; only a failed, interrupted or cancelled job can be restarted");
            }
            ExecutionContext context = new ExecutionContext(last.getExecutionContext());
            // what describes the last execution's end is not the new one's: Spring Batch's own "recovered" mark,
            // copied along, made it refuse to recover the new execution after a second crash, and the service
            // then refused to start at all
            context.remove(SPRING_BATCH_RECOVERED);
            context.remove(JobOutcomeListener.INTERRUPTED);
            context.remove(JobOutcomeListener.ERROR);
            context.putInt(AUTOMATIC_RESUMES, automaticResumes);
            requireModelIdFree(RegisterStep.modelId(states.parameters().request(last.getJobParameters()), id), id);
            execution = repository.createJobExecution(last.getJobInstance(), last.getJobParameters(), context);
        }
        log.info("training job {} restarted (execution {})", id, execution.getId());
        dispatch(execution.getId());
    }

    /**
     * This process has become the runner ({@link JobRunnerElection}): it picks up after the previous one, which
     * has stopped or died.
     */
    void becomeRunner() {
        runsJobs = true;
        recover();
    }

    /** Runs what this process submits or restarts, without recovering anything ({@code train}). */
    void runOwnJobs() {
        runsJobs = true;
    }

    /** The runner lock is lost: the running job stops at its next batch, as at shutdown, and nothing else runs. */
    void stopBeingRunner() {
        runsJobs = false;
        dispatched.clear();
        states.runningHere().ifPresent(states::interrupt);
    }

    /**
     * The runner's poll: queued executions submitted or restarted through other processes are run in turn, and
     * a cancel asked through another process (STOPPING in the repository) reaches the job running here.
     */
    void pickUpSubmitted() {
        List<JobExecution> open = new ArrayList<>(repository.findRunningJobExecutions(JobRecords.JOB_NAME));
        open.sort(Comparator.comparingLong(JobExecution::getId));
        for (JobExecution execution : open) {
            long id = execution.getJobInstance().getInstanceId();
            if (execution.getStatus() == BatchStatus.STARTING) {
                dispatch(execution.getId());
            } else if (execution.getStatus() == BatchStatus.STOPPING && states.isRunningHere(id)
                    && !states.isCancelRequested(id)) {
                states.requestCancel(id);
                log.info("training job {}: cancel requested through another process", id);
            }
        }
    }

    /**
     * Picks up after the previous runner: queued jobs are queued again; running ones are marked interrupted
     * and, if configured, restarted; ones cancelled while running are marked cancelled.
     */
    private void recover() {
        List<JobInstance> instances = new ArrayList<>(repository.findJobInstances(JobRecords.JOB_NAME));
        instances.sort(Comparator.comparingLong(JobInstance::getInstanceId));
        for (JobInstance instance : instances) {
            JobExecution last = repository.getLastJobExecution(instance);
            if (last == null) {
                continue;
            }
            long id = instance.getInstanceId();
            if (last.getStatus() == BatchStatus.STARTING) {
                log.info("training job {}: queued again", id);
                dispatch(last.getId());
            } else if (last.getStatus() == BatchStatus.STOPPING && last.getStartTime() == null) {
                finish(repository.getJobExecution(last.getId()), BatchStatus.STOPPED, "cancelled before it started");
            } else if (last.getStatus() == BatchStatus.STOPPING) {
                // cancelled, and the process running it stopped before the job did: it stays cancelled
                recoverInterrupted(last);
                finish(repository.getJobExecution(last.getId()), BatchStatus.STOPPED,
                        "cancelled by an admin (the process running it stopped before the job did)");
                log.info("training job {}: cancelled (the process running it stopped first)", id);
            } else if (last.getStatus().isRunning() || last.getStatus() == BatchStatus.UNKNOWN
                    || (last.getStatus() == BatchStatus.FAILED
                    && last.getExecutionContext().containsKey(JobOutcomeListener.INTERRUPTED))) {
                if (last.getStatus() != BatchStatus.FAILED) {
                    recoverInterrupted(last);
                }
                int resumes = last.getExecutionContext().getInt(AUTOMATIC_RESUMES, 0);
                if (properties.training().resumeInterrupted() && resumes >= properties.training().maxAutomaticResumes()) {
                    giveUpResuming(repository.getJobExecution(last.getId()), resumes);
                } else if (properties.training().resumeInterrupted()) {
                    log.info("training job {} was interrupted when the service stopped: resuming it", id);
                    try {
                        restart(id, resumes + 1);
                    } catch (ModelConflictException | TrainingJobConflictException e) {
                        // one job that cannot be resumed must not keep the service from starting
                        log.warn("training job {} is not resumed: {}", id, e.getMessage());
                    }
                } else {
                    log.warn("training job {} was interrupted when the service stopped; restart it with "
                            + "POST /admin/training-jobs/{}/restart", id, id);
                }
            }
        }
    }

    /** Stops taking work; the running job ends at its next batch boundary and is resumed at the next start. */
    public void shutdown() {
        states.shutDown();
        worker.shutdown();
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("a training job is still running at shutdown; it will be resumed at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands a queued execution to the worker, if this process runs jobs and it was not handed over before. */
    private void dispatch(long executionId) {
        if (runsJobs && !states.isShuttingDown() && dispatched.add(executionId)) {
            worker.execute(() -> run(executionId));
        }
    }

    /**
     * Runs a queued execution, unless it was cancelled or run while it waited, the service is stopping, or this
     * process no longer runs jobs.
     */
    private void run(long executionId) {
        JobExecution execution;
        long id;
        synchronized (lock) {
            execution = repository.getJobExecution(executionId);
            if (execution == null || execution.getStatus() != BatchStatus.STARTING || states.isShuttingDown()
                    || !runsJobs) {
                return;
            }
            id = execution.getJobInstance().getInstanceId();
            states.running(id, true);
            execution.getExecutionContext().putString(RUNNER, processName);
            repository.updateExecutionContext(execution);
        }
        try {
            log.info("training job {}: starting (execution {})", id, executionId);
            job.execute(execution);
            log.info("training job {}: {}", id, JobStatus.of(records.lastExecution(id)).label());
        } catch (RuntimeException | org.springframework.batch.core.job.JobInterruptedException e) {
            log.error("training job {} could not run", id, e);
        } finally {
            states.release(id);
            states.running(id, false);
            memoryRelease.afterJob(id);
        }
    }

    /** Spring Batch's recovery of an execution a dead process left running, with the reason the API shows. */
    private void recoverInterrupted(JobExecution stale) {
        JobExecution recovered = operator.recover(repository.getJobExecution(stale.getId()));
        recovered.setExitStatus(ExitStatus.FAILED.addExitDescription("interrupted: the process stopped"));
        recovered.getExecutionContext().putString(JobOutcomeListener.ERROR,
                "interrupted: the service stopped while this job was running");
        recovered.getExecutionContext().putString(JobOutcomeListener.INTERRUPTED, "crash");
        repository.update(recovered);
        repository.updateExecutionContext(recovered);
    }

    /**
     * An interrupted job that was already resumed {@code resumes} times in a row without finishing stays failed:
     * one that takes the process down (memory, a crash in native code) would otherwise do so at every start.
     */
    private void giveUpResuming(JobExecution last, int resumes) {
        long id = last.getJobInstance().getInstanceId();
        String message = "interrupted " + (resumes + 1) + " times in a row (the service stopped or the process "
                + "died while it ran, which running out of memory also looks like); not resumed automatically after "
                + resumes + " resumes (captioner.training.max-automatic-resumes): restart it by hand, perhaps with "
                + "smaller sizes";
        last.setExitStatus(ExitStatus.FAILED.addExitDescription(message));
        last.getExecutionContext().putString(JobOutcomeListener.ERROR, message);
        last.getExecutionContext().remove(JobOutcomeListener.INTERRUPTED);
        repository.update(last);
        repository.updateExecutionContext(last);
        log.error("training job {}: {}", id, message);
    }

    private void finish(JobExecution execution, BatchStatus status, String message) {
        execution.setStatus(status);
        execution.setExitStatus(new ExitStatus(status.name(), message));
        execution.setEndTime(LocalDateTime.now());
        execution.getExecutionContext().putString(JobOutcomeListener.ERROR, message);
        repository.update(execution);
        repository.updateExecutionContext(execution);
    }
}
