package dev.captioner.cli;

import java.util.Locale;

import dev.captioner.training.job.TrainingJobView;
import dev.captioner.training.job.TrainingStep;

/**
 * One line for a training job: bar, percentage, status, step, step detail and ETA; while an epoch trains, its batch
 * and running loss (an epoch of COCO is an hour).
 */
final class JobProgressLine {

    private JobProgressLine() {
    }

    static String render(TrainingJobView job) {
        StringBuilder line = new StringBuilder(ProgressPrinter.bar(job.progress())).append(' ');
        line.append(job.status().label());
        if (job.step() != null) {
            line.append(' ').append(job.step());
        }
        TrainingJobView.CurrentEpoch epoch = job.currentEpoch();
        if (TrainingStep.TRAIN.id().equals(job.step()) && job.request() != null && epoch != null) {
            line.append(String.format(Locale.ROOT, " epoch %d/%d batch %d/%d loss %.3f", epoch.epoch(), job.request().epochs(),
                    epoch.batch(), epoch.batches(), epoch.runningLoss()));
        } else if (TrainingStep.TRAIN.id().equals(job.step()) && job.request() != null) {
            line.append(' ').append(job.epochs().size()).append('/').append(job.request().epochs()).append(" epochs");
        } else if (TrainingStep.FEATURES.id().equals(job.step()) && job.features() != null) {
            line.append(' ').append(job.features().done()).append('/').append(job.features().total()).append(" images");
        }
        if (job.etaSeconds() != null) {
            line.append("  ETA ").append(duration(job.etaSeconds()));
        }
        return line.toString();
    }

    static String duration(long seconds) {
        if (seconds >= 3600) {
            return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return seconds >= 60 ? String.format("%dm%02ds", seconds / 60, seconds % 60) : seconds + "s";
    }
}
