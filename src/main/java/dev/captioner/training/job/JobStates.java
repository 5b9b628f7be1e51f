package dev.captioner.training.job;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.captioner.config.DataDirectory;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.StepExecution;
import tools.jackson.databind.json.JsonMapper;

/** In-memory state of the running job, and cancellation requests, by job id. */
public class JobStates {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final DataDirectory data;
    private final Path jobsRoot;
    private final Map<Long, JobState> states = new ConcurrentHashMap<>();
    private final Set<Long> cancelRequested = ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;

    public JobStates(DataDirectory data) {
        this.data = data;
        this.jobsRoot = data.root().resolve("training-jobs");
    }

    JobState of(StepExecution step) {
        long jobId = step.getJobExecution().getJobInstance().getInstanceId();
        return states.computeIfAbsent(jobId, id -> new JobState(id,
                JSON.readValue(step.getJobExecution().getJobParameters().getString(TrainingJobs.REQUEST),
                        TrainingJobRequest.class),
                workDir(id), data));
    }

    Optional<JobState> find(long jobId) {
        return Optional.ofNullable(states.get(jobId));
    }

    Path workDir(long jobId) {
        return jobsRoot.resolve(String.valueOf(jobId));
    }

    void release(long jobId) {
        states.remove(jobId);
    }

    void requestCancel(long jobId) {
        cancelRequested.add(jobId);
    }

    void clearCancel(long jobId) {
        cancelRequested.remove(jobId);
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

    /**
     * Ends the current step as STOPPED (Spring Batch's status for an interrupted step) when cancelled, or
     * as FAILED-interrupted (resumed at the next start) when the service is shutting down.
     */
    void stopIfCancelled(long jobId) throws JobInterruptedException {
        if (shuttingDown) {
            throw new ServiceStoppingException();
        }
        if (isCancelRequested(jobId)) {
            throw new JobInterruptedException("cancelled by an admin");
        }
    }
}
