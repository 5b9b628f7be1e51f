package dev.captioner.training.job;

/**
 * The right to run training jobs, held by one process among all that share a job repository: the holder runs
 * every job submitted through any of them, one at a time, and recovers what a previous holder left running.
 */
public interface JobRunnerLock {

    /** Takes the lock if nobody holds it; false when another process does (or the database cannot be reached). */
    boolean tryAcquire();

    /** Whether the lock taken is still this process's (false once its database session is gone). */
    boolean stillHeld();

    /** Gives the lock up, so that another process may take it at once. */
    void release();

    /** What the lock is, for the log: "an advisory lock in PostgreSQL", "this process only". */
    String describe();
}
