package dev.captioner.training.job;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.stream.Stream;

import javax.sql.DataSource;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.config.DataDirectory;
import dev.captioner.metrics.TrainingJobMeters;
import dev.captioner.serving.IdleMemoryRelease;
import dev.captioner.serving.ModelRuntime;
import dev.captioner.serving.ServingLoad;
import dev.captioner.store.ModelStore;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.weights.ImagenetWeights;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.Validator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.json.JsonMapper;

/**
 * The training job: prepare -> features -> train -> evaluate -> register, each a restartable tasklet step.
 * Steps keep their work in files (feature cache, checkpoints, model store), so they run without a database
 * transaction around them; Spring Batch records each iteration's progress in the job repository.
 */
@Configuration(proxyBeanMethods = false)
public class TrainingJobConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TrainingJobConfiguration.class);

    @Bean
    DataDirectory dataDirectory(CaptionerProperties properties) {
        return new DataDirectory(properties.dataDir());
    }

    /** Replaces Boot's initializer, which it extends: Spring Batch's script runs only where its tables are missing. */
    @Bean
    BatchSchemaInitializer batchDataSourceInitializer(DataSource dataSource, BatchJdbcProperties properties) {
        return new BatchSchemaInitializer(dataSource, properties);
    }

    /**
     * Spring Batch's operator finds a job by name here to reach its steps on stop; without this bean its default
     * registry is filled while the job is still being built (the job needs the operator), so it stays empty.
     */
    @Bean
    JobRegistry jobRegistry() {
        return new MapJobRegistry();
    }

    @Bean
    TrainingJobParameters trainingJobParameters(JsonMapper json) {
        return new TrainingJobParameters(json);
    }

    @Bean
    JobStates jobStates(DataDirectory data, TrainingJobParameters parameters) {
        return new JobStates(data, parameters);
    }

    @Bean
    ModelActivator modelActivator(ModelRuntime runtime) {
        return id -> runtime.activate(id);
    }

    @Bean
    JobMemoryBudget jobMemoryBudget(CaptionerProperties properties, ModelRuntime runtime) {
        return new JobMemoryBudget(properties.training().memoryBudget(), runtime);
    }

    @Bean(destroyMethod = "shutdown")
    TrainingJobs trainingJobs(JobRepository repository, JobOperator operator, JobStates states, DataDirectory data,
                              ModelStore store, CaptionerProperties properties, ImagenetWeights imagenet,
                              Validator validator, JobMemoryBudget budget, ModelRuntime runtime,
                              IdleMemoryRelease memoryRelease) {
        return new TrainingJobs(repository, operator, states, data, store, properties, imagenet, validator, budget,
                new AfterJobMemoryRelease(runtime, memoryRelease), processName());
    }

    /**
     * PostgreSQL, which several replicas share, gets a lock in the database; H2's file opens in one process only,
     * which is then the runner. Another shared database would let every process run jobs: said in the log.
     */
    @Bean
    JobRunnerLock jobRunnerLock(DataSource dataSource) throws SQLException {
        String product;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
        }
        if ("PostgreSQL".equals(product)) {
            return new PostgresRunnerLock(dataSource);
        }
        if (!"H2".equals(product)) {
            log.warn("training jobs are coordinated across processes only in PostgreSQL; with {} run one process "
                    + "per job database", product);
        }
        return new LocalRunnerLock("this process only: the " + product + " job database is not shared");
    }

    /** Stopped before the jobs themselves: it ends the running job, then gives the lock up. */
    @Bean(destroyMethod = "stop")
    JobRunnerElection jobRunnerElection(JobRunnerLock lock, TrainingJobs jobs, CaptionerProperties properties) {
        return new JobRunnerElection(lock, jobs, properties.training().runnerPollInterval());
    }

    /** Host (a pod's name) and process id, which tell replicas apart, also several on one host. */
    static String processName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    @Bean
    TrainingJobViews trainingJobViews(JobRepository repository, JobStates states) {
        return new TrainingJobViews(repository, states);
    }

    /** Read at most once a second: one scrape reads all its gauges at once, and each reading asks the repository. */
    @Bean
    TrainingJobMeters trainingJobMeters(MeterRegistry meters, TrainingJobViews views) {
        return new TrainingJobMeters(meters,
                () -> views.runningHere().map(job -> new TrainingJobMeters.RunningJob(job.progress(), job.step())),
                Stream.of(TrainingStep.values()).map(TrainingStep::id).toList(), Duration.ofSeconds(1),
                System::nanoTime);
    }

    @Bean
    Job captionTrainingJob(JobRepository repository, TrainingJobs jobs, JobStates states, ModelRuntime runtime,
                           ImageDecoder decoder, ServingLoad load, ModelStore store, ModelActivator activator,
                           CaptionerProperties properties, DataDirectory data,
                           JobMemoryBudget budget) {
        var maxYield = properties.training().maxYield();
        Job job = new JobBuilder(JobRecords.JOB_NAME, repository)
                .listener(new JobOutcomeListener(repository, states))
                .start(step(TrainingStep.PREPARE, new PrepareStep(states, data), repository))
                .next(step(TrainingStep.FEATURES, new FeatureStep(states, runtime, decoder, load, maxYield,
                        data, properties.maxImageSize().toBytes()), repository))
                .next(step(TrainingStep.TRAIN, new TrainStep(states, load, maxYield, budget, repository,
                        System::nanoTime), repository))
                .next(step(TrainingStep.EVALUATE, new EvaluateStep(states), repository))
                .next(step(TrainingStep.REGISTER, new RegisterStep(states, store, runtime, activator,
                        new ActivationGate(properties.training().activation())), repository))
                .build();
        jobs.setJob(job);
        return job;
    }

    private static Step step(TrainingStep name, Tasklet tasklet, JobRepository repository) {
        return new StepBuilder(name.id(), repository).tasklet(tasklet).build();
    }

    /**
     * After the active model is loaded: the first poll for the runner lock, whose holder re-queues and resumes
     * what the previous runner left.
     */
    @Bean
    @Order(10)
    @ConditionalOnWebApplication
    ApplicationRunner startTrainingJobRunner(JobRunnerElection election, Job captionTrainingJob) {
        return args -> election.start();
    }
}
