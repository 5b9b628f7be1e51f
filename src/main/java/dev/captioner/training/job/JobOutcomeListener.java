package dev.captioner.training.job;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Records how a job execution ended in words the admin API shows ({@code error}), marks one that a shutdown
 * interrupted so the next start resumes it, and frees the job's memory.
 */
class JobOutcomeListener implements JobExecutionListener {

    /** Execution-context keys: what went wrong, and (for an interruption) why it stopped. */
    static final String ERROR = "error";
    static final String INTERRUPTED = "interrupted";

    private final JobRepository repository;
    private final JobStates states;

    JobOutcomeListener(JobRepository repository, JobStates states) {
        this.repository = repository;
        this.states = states;
    }

    @Override
    public void afterJob(JobExecution execution) {
        try {
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
                if (cause instanceof OutOfMemoryError) {
                    message = "ran out of memory (the estimate did not foresee it); it is not resumed "
                            + "automatically: restart it with smaller featureBatchSize, batchSize, hiddenSize or "
                            + "embeddingSize, or give the service more memory";
                }
                execution.getExecutionContext().putString(ERROR, message);
                if (cause instanceof ServiceStoppingException) {
                    execution.getExecutionContext().putString(INTERRUPTED, "shutdown");
                }
                repository.updateExecutionContext(execution);
            }
        } finally {
            states.release(execution.getJobInstance().getInstanceId());
        }
    }
}
