package dev.captioner.training.job;

import java.util.Set;

import org.springframework.batch.core.job.JobExecution;

/** A job's status as the admin API shows it, from Spring Batch's status of its last execution. */
public enum JobStatus {

    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    private static final Set<JobStatus> FINISHED = Set.of(SUCCEEDED, FAILED, CANCELLED);

    /** A stop asked for before the job ever started (it was queued) is already a cancellation. */
    static JobStatus of(JobExecution execution) {
        return switch (execution.getStatus()) {
            case STARTING -> QUEUED;
            case STARTED -> RUNNING;
            case STOPPING -> execution.getStartTime() == null ? CANCELLED : RUNNING;
            case COMPLETED -> SUCCEEDED;
            case STOPPED, ABANDONED -> CANCELLED;
            case FAILED, UNKNOWN -> FAILED;
        };
    }

    public boolean isFinished() {
        return FINISHED.contains(this);
    }

    /** "running", "queued": for a progress line. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
