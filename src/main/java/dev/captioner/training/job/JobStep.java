package dev.captioner.training.job;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** A step of the training job: finds the job's state and honours cancel and shutdown before each iteration. */
abstract class JobStep implements Tasklet {

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

    /** One iteration; its changes to the step's execution context are committed when it returns. */
    abstract RepeatStatus iterate(JobState state, StepExecution step, StepContribution contribution) throws Exception;
}
