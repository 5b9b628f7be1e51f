package dev.captioner.training.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;

/** A training job's records in the job repository, by job id (its job instance id); unknown ids are a 404. */
final class JobRecords {

    static final String JOB_NAME = "captionTraining";

    private final JobRepository repository;

    JobRecords(JobRepository repository) {
        this.repository = repository;
    }

    JobInstance instance(long id) {
        JobInstance instance = repository.getJobInstance(id);
        if (instance == null || !JOB_NAME.equals(instance.getJobName())) {
            throw new TrainingJobNotFoundException(id);
        }
        return instance;
    }

    JobExecution lastExecution(long id) {
        JobExecution last = repository.getLastJobExecution(instance(id));
        if (last == null) {
            throw new TrainingJobNotFoundException(id);
        }
        return last;
    }

    /** Oldest first. */
    List<JobExecution> executions(JobInstance instance) {
        List<JobExecution> executions = new ArrayList<>(repository.getJobExecutions(instance));
        executions.sort(Comparator.comparingLong(JobExecution::getId));
        return executions;
    }
}
