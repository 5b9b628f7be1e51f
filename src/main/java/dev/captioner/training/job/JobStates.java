package dev.captioner.training.job;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.captioner.config.DataDirectory;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.StepExecution;

/**
 * In-memory state of the running job (its request bound once, from the job's parameters), cancellation
 * requests Spring Batch's stop has passed on, and whether the service is shutting down.
 */
public class JobStates {

    private final DataDirectory data;
    private final TrainingJobParameters parameters;
    private final Path jobsRoot;
    private final Map<Long, JobState> states = new ConcurrentHashMap<>();
    private final Set<Long> cancelRequested = ConcurrentHashMap.newKeySet();
    private final Set<Long> runningHere = ConcurrentHashMap.newKeySet();
    private final Set<Long> interrupted = ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;

    public JobStates(DataDirectory data, TrainingJobParameters parameters) {
        this.data = data;
        this.parameters = parameters;
        this.jobsRoot = data.root().resolve("training-jobs");
    }

    JobState of(StepExecution step) {
        long jobId = step.getJobExecution().getJobInstance().getInstanceId();
        return states.computeIfAbsent(jobId, id -> new JobState(id,
                parameters.request(step.getJobExecution().getJobParameters()), workDir(id), data));
    }

    Optional<JobState> find(long jobId) {
        return Optional.ofNullable(states.get(jobId));
    }

    TrainingJobParameters parameters() {
        return parameters;
    }

    Path workDir(long jobId) {
        return jobsRoot.resolve(String.valueOf(jobId));
    }

    /** The job has ended in this process: its memory (features, trainer) can go. */
    void release(long jobId) {
        states.remove(jobId);
        cancelRequested.remove(jobId);
        interrupted.remove(jobId);
    }

    /** Between the start and the end of {@code Job.execute} in this process. */
    void running(long jobId, boolean running) {
        if (running) {
            runningHere.add(jobId);
        } else {
            runningHere.remove(jobId);
        }
    }

    /**
     * Spring Batch 6's stop records a running execution as STOPPED at once; the job itself ends only at its next
     * batch, and until then this says it is still running.
     */
    boolean isRunningHere(long jobId) {
        return runningHere.contains(jobId);
    }

    /** The job running in this process now, if any (jobs run one at a time). */
    Optional<Long> runningHere() {
        return runningHere.stream().findFirst();
    }

    void requestCancel(long jobId) {
        cancelRequested.add(jobId);
    }

    boolean isCancelRequested(long jobId) {
        return cancelRequested.contains(jobId);
    }

    void shutDown() {
        shuttingDown = true;
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }

    /** The job must stop here to be resumed elsewhere or later: this process lost the right to run jobs. */
    void interrupt(long jobId) {
        interrupted.add(jobId);
    }

    /** The job stops at its next batch to be resumed: the service is shutting down, or {@link #interrupt}. */
    boolean isInterrupted(long jobId) {
        return shuttingDown || interrupted.contains(jobId);
    }

    /**
     * Ends the current step as STOPPED (Spring Batch's status for an interrupted step) when cancelled, or
     * as FAILED-interrupted (resumed at the next start, or by the next runner) when {@link #isInterrupted}.
     */
    void stopIfCancelled(long jobId) throws JobInterruptedException {
        if (isInterrupted(jobId)) {
            throw new ServiceStoppingException();
        }
        if (isCancelRequested(jobId)) {
            throw new JobInterruptedException("cancelled by an admin");
        }
    }
}
