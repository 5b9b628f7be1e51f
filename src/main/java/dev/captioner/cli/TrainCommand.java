package dev.captioner.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.captioner.training.job.JobRunnerElection;
import dev.captioner.training.job.TrainingJobRequest;
import dev.captioner.training.job.TrainingJobView;
import dev.captioner.training.job.TrainingJobViews;
import dev.captioner.training.job.TrainingJobs;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code train}: the same training job as {@code POST /admin/training-jobs}, in this process and without the web
 * server (for a big machine or a batch scheduler), with a progress line. The job goes into the same job
 * repository, so {@code --resume ID} continues one that was interrupted, here or in the service. It runs only
 * while no service runs on the same job database: that one holds the job runner lock and would run the job itself.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = CaptionerVersion.class, sortOptions = false,
        description = {"Runs a training job in this process, without the web server, and follows it.",
                "Exit status: 0 the job succeeded, 1 it failed or was interrupted, or a service runs this job "
                        + "database's jobs, 2 bad arguments or request."})
final class TrainCommand implements Callable<Integer> {

    @ParentCommand
    CaptionerCommand parent;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Job job;

    static final class Job {
        @Option(names = "--request", paramLabel = "FILE", description = "the JSON body of POST /admin/training-jobs; "
                + "its paths are relative to the data dir")
        Path request;

        @Option(names = "--resume", paramLabel = "ID", description = "continue the interrupted, failed or cancelled job ID")
        Long resume;
    }

    @Mixin
    FolderOptions folders;

    @Override
    public Integer call() throws InterruptedException {
        List<String> springArgs = new ArrayList<>(List.of("--spring.main.banner-mode=off",
                "--logging.level.root=WARN", "--logging.level.dev.captioner.cli=INFO"));
        folders.overrides().forEach(setting -> springArgs.add("--" + setting));
        PrintWriter err = spec.commandLine().getErr();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(parent.application())
                .web(WebApplicationType.NONE).run(springArgs.toArray(String[]::new))) {
            TrainingJobs jobs = context.getBean(TrainingJobs.class);
            if (!context.getBean(JobRunnerElection.class).takeForThisProcessOnly()) {
                err.println("a service on this job database runs its training jobs (it holds the job runner lock): "
                        + "submit the job to it (POST /admin/training-jobs), or stop it first");
                return 1;
            }
            long id;
            if (job.request != null) {
                id = jobs.submit(read(job.request, context.getBean(JsonMapper.class)));
                err.println("training job " + id + " (interrupt with Ctrl-C; continue later with: train --resume " + id + ")");
            } else {
                id = job.resume;
                jobs.restart(id);
                err.println("resuming training job " + id);
            }
            return follow(context.getBean(TrainingJobViews.class), id, err);
        }
    }

    private TrainingJobRequest read(Path file, JsonMapper json) {
        try {
            return TrainingJobRequest.fromJson(json.readTree(Files.readString(file)), json);
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static int follow(TrainingJobViews views, long id, PrintWriter out) throws InterruptedException {
        ProgressPrinter progress = ProgressPrinter.to(out);
        int epochsShown = 0;
        TrainingJobView job = views.get(id);
        while (true) {
            for (; epochsShown < job.epochs().size(); epochsShown++) {
                TrainingJobView.Epoch e = job.epochs().get(epochsShown);
                progress.message(String.format("epoch %d: train loss %.3f, validation loss %s, %.0f s, %s", e.epoch(),
                        e.trainLoss(), e.validationLoss() == null ? "-" : String.format("%.3f", e.validationLoss()),
                        e.seconds(), e.metrics()));
            }
            progress.update(JobProgressLine.render(job), job.progress());
            if (job.status().isFinished()) {
                break;
            }
            Thread.sleep(1000);
            job = views.get(id);
        }
        progress.finish();
        if (job.features() != null) {
            // what a feature cache filled beforehand (a Spark features job, an earlier job) saved this one
            out.println("features: " + job.features().total() + " images, " + job.features().encoded() + " encoded, "
                    + job.features().reused() + " from the feature cache");
        }
        if (job.status() == dev.captioner.training.job.JobStatus.SUCCEEDED) {
            out.println("model " + job.modelId() + (Boolean.TRUE.equals(job.activated()) ? " (activated)" : "")
                    + (job.activationRefused() != null ? " (" + job.activationRefused() + ")" : "")
                    + ": " + job.metrics());
            return 0;
        }
        out.println("job " + id + " " + job.status().label() + ": " + job.error());
        return 1;
    }
}
