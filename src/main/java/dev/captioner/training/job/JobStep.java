package dev.captioner.training.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.StoppableTasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * A step of the training job: finds the job's state and honours cancel and shutdown before each iteration, and
 * steps check for them within an iteration too (training between batches). An admin's cancel of a job running
 * here sets the flag directly ({@code TrainingJobs.cancel}); {@link #stop(StepExecution)} is how Spring Batch's
 * {@code JobOperator.stop} reaches a step, for executions it stops itself.
 */
abstract class JobStep implements StoppableTasklet {

    private static final Logger log = LoggerFactory.getLogger(JobStep.class);

    protected final JobStates states;

    JobStep(JobStates states) {
        this.states = states;
    }

    @Override
    public final RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        StepExecution step = chunkContext.getStepContext().getStepExecution();
        JobState state = states.of(step);
        states.stopIfCancelled(state.jobId);
        return iterate(state, step, contribution);
    }

    @Override
    public void stop(StepExecution step) {
        long jobId = step.getJobExecution().getJobInstance().getInstanceId();
        log.info("training job {}: stopping step {}", jobId, step.getStepName());
        states.requestCancel(jobId);
    }

    /** Only {@link #stop(StepExecution)} is called by Spring Batch 6; without an execution there is no job to name. */
    @Override
    public void stop() {
    }

    /** One iteration; its changes to the step's execution context are committed when it returns. */
    abstract RepeatStatus iterate(JobState state, StepExecution step, StepContribution contribution) throws Exception;
}
