package dev.captioner.training.job;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which process runs training jobs. Every poll: a process without the {@link JobRunnerLock} tries to
 * take it, and on taking it recovers what the previous holder left (its running job is resumed, queued ones run
 * in turn); the holder checks it still has the lock and picks up jobs submitted through other processes and
 * cancels asked through them. A holder that loses the lock (its database session broke) interrupts its job at
 * the next batch, as a shutdown does, for the next holder to resume.
 */
public class JobRunnerElection {

    private static final Logger log = LoggerFactory.getLogger(JobRunnerElection.class);

    private final JobRunnerLock lock;
    private final TrainingJobs jobs;
    private final Duration pollInterval;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "training-job-runner-election");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean holding;

    public JobRunnerElection(JobRunnerLock lock, TrainingJobs jobs, Duration pollInterval) {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("captioner.training.runner-poll-interval must be positive, not "
                    + pollInterval);
        }
        this.lock = lock;
        this.jobs = jobs;
        this.pollInterval = pollInterval;
    }

    /** Polls once now (a lone process recovers its jobs before it goes on), then every poll interval. */
    public void start() {
        poll();
        long millis = pollInterval.toMillis();
        poller.scheduleWithFixedDelay(this::pollLogged, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * For the {@code train} command: takes the lock, when no other process holds it, to run what this process
     * submits or restarts, and nothing else: it neither resumes what another runner left (that stays for the
     * service's runner) nor polls for work submitted elsewhere.
     *
     * @return false when another process (a service replica on the same job database) runs the jobs
     */
    public synchronized boolean takeForThisProcessOnly() {
        if (!holding && lock.tryAcquire()) {
            holding = true;
            jobs.runOwnJobs();
        }
        return holding;
    }

    /** Whether this process runs the fleet's training jobs now. */
    public boolean isRunner() {
        return holding;
    }

    /**
     * Stops polling, lets the running job end at its batch boundary ({@link TrainingJobs#shutdown()}), and only
     * then gives the lock up: a replica taking it over earlier would take the job for interrupted while it still
     * runs here.
     */
    public void stop() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jobs.shutdown();
        lock.release();
    }

    private void pollLogged() {
        try {
            poll();
        } catch (RuntimeException e) {
            // the database may be away for a moment; the next poll tries again
            log.warn("training job runner: {}", e.getMessage());
        }
    }

    synchronized void poll() {
        if (!holding) {
            if (lock.tryAcquire()) {
                holding = true;
                log.info("this process now runs the training jobs ({})", lock.describe());
                jobs.becomeRunner();
            }
            return;
        }
        if (!lock.stillHeld()) {
            holding = false;
            log.error("this process lost the training job runner lock ({}): its running job stops at the next "
                    + "batch and is resumed by whichever process takes the lock next", lock.describe());
            jobs.stopBeingRunner();
            return;
        }
        jobs.pickUpSubmitted();
    }
}
