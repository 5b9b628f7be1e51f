package dev.captioner.training.job;

/**
 * Ends a running step because the service is shutting down, or lost the right to run jobs; the job is resumed at
 * the next start, or by the process that runs jobs next.
 */
class ServiceStoppingException extends RuntimeException {
    ServiceStoppingException() {
        super("interrupted: the service was shut down (or lost its hold on the job database) while this job was running");
    }
}
