package dev.captioner.training.job;

import dev.captioner.serving.IdleMemoryRelease;
import dev.captioner.serving.ModelRuntime;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gives back what a finished job held, which nothing else would: the training workspace on the job's thread
 * (sized for the job's largest batch: gigabytes at hidden size 4096), the shared encoder's activation buffers
 * (sized for the job's feature batches: 3.3 GB at 256), and then, as after a busy spell of caption requests, a
 * full collection (native arrays go when their wrappers do) and a trim of the C heap.
 */
class AfterJobMemoryRelease {

    private final ModelRuntime runtime;
    private final IdleMemoryRelease release;

    AfterJobMemoryRelease(ModelRuntime runtime, IdleMemoryRelease release) {
        this.runtime = runtime;
        this.release = release;
    }

    /** On the job's thread, after the job's state is dropped. */
    void afterJob(long jobId) {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        runtime.current().ifPresent(model -> model.encoder().releaseWorkingMemory());
        release.releaseNow("training job " + jobId + " ended");
    }
}
