package dev.captioner.training.job;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.captioner.CaptionerApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.core.JacksonException;

/**
 * {@code train}: runs the same training job as {@code POST /admin/training-jobs}, in this process and
 * without the web server (for a big machine or a batch scheduler), drawing a progress bar. The job goes
 * into the same job repository, so {@code --resume ID} continues one that was interrupted, here or in
 * the service (not while the service runs: one process per job repository).
 */
public final class TrainCommand {

    static final String USAGE = """
            usage: train --request FILE [--data-dir DIR] [--models-dir DIR]
                   train --resume ID    [--data-dir DIR] [--models-dir DIR]
              FILE: the JSON body of POST /admin/training-jobs; its paths are relative to the data dir
              exit status 0 when the job succeeds, 1 when it fails or is interrupted, 2 on bad arguments""";
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private TrainCommand() {
    }

    public static int run(String[] args) {
        Path requestFile = null;
        Long resume = null;
        List<String> springArgs = new ArrayList<>(List.of("--spring.main.banner-mode=off",
                "--logging.level.root=WARN", "--logging.level.dev.captioner.training.job.TrainCommand=INFO"));
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--request" -> requestFile = Path.of(args[i + 1]);
                    case "--resume" -> resume = Long.parseLong(args[i + 1]);
                    case "--data-dir" -> springArgs.add("--captioner.data-dir=" + args[i + 1]);
                    case "--models-dir" -> springArgs.add("--captioner.models-dir=" + args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if ((requestFile == null) == (resume == null)) {
                throw new IllegalArgumentException("give either --request or --resume");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        TrainingJobRequest request = null;
        if (requestFile != null) {
            try {
                request = TrainingJobRequest.fromJson(JobStates.JSON.readTree(Files.readString(requestFile)),
                        JobStates.JSON);
            } catch (IOException | JacksonException | IllegalArgumentException e) {
                System.err.println("cannot read " + requestFile + ": " + e.getMessage());
                return 2;
            }
        }
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CaptionerApplication.class)
                .web(WebApplicationType.NONE).run(springArgs.toArray(String[]::new))) {
            TrainingJobs jobs = context.getBean(TrainingJobs.class);
            TrainingJobView job = request != null ? jobs.submit(request) : jobs.restart(resume);
            System.err.println((request != null ? "training job " : "resuming training job ") + job.id()
                    + " (interrupt with Ctrl-C; continue later with: train --resume " + job.id() + ")");
            return follow(jobs, job.id(), System.err);
        } catch (IllegalArgumentException | TrainingJobNotFoundException | TrainingJobConflictException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int follow(TrainingJobs jobs, long id, PrintStream out) throws InterruptedException {
        int epochsShown = 0;
        TrainingJobView job = jobs.get(id);
        while (true) {
            for (; epochsShown < job.epochs().size(); epochsShown++) {
                TrainingJobView.Epoch e = job.epochs().get(epochsShown);
                out.printf("\r%-100s\repoch %d: train loss %.3f, validation loss %s, %.0f s, %s%n", "", e.epoch(),
                        e.trainLoss(), e.validationLoss() == null ? "-" : String.format("%.3f", e.validationLoss()),
                        e.seconds(), e.metrics());
            }
            out.print("\r" + ProgressBar.render(job));
            out.flush();
            if (TERMINAL.contains(job.status())) {
                break;
            }
            Thread.sleep(1000);
            job = jobs.get(id);
        }
        out.println();
        if (job.status().equals("SUCCEEDED")) {
            out.println("model " + job.modelId() + (Boolean.TRUE.equals(job.activated()) ? " (activated)" : "")
                    + ": " + job.metrics());
            return 0;
        }
        out.println("job " + id + " " + job.status() + ": " + job.error());
        return 1;
    }
}
