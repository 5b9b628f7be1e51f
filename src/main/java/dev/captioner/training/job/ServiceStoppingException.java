package dev.captioner.training.job;

/** Ends a running step because the service is shutting down; the job is resumed at the next start. */
class ServiceStoppingException extends RuntimeException {
    ServiceStoppingException() {
        super("interrupted: the service was shut down while this job was running");
    }
}
