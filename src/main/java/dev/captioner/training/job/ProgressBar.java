package dev.captioner.training.job;

/** One terminal line for a job: bar, percentage, step, step detail and ETA. */
final class ProgressBar {

    private static final int WIDTH = 30;

    private ProgressBar() {
    }

    static String render(TrainingJobView job) {
        int filled = (int) Math.round(job.progress() * WIDTH);
        StringBuilder line = new StringBuilder("[");
        line.append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
        line.append(String.format("%3d%% ", Math.round(job.progress() * 100)));
        line.append(job.status().toLowerCase());
        if (job.step() != null) {
            line.append(' ').append(job.step());
        }
        if (TrainStep.NAME.equals(job.step()) && job.request() != null) {
            line.append(' ').append(job.epochs().size()).append('/').append(job.request().epochs()).append(" epochs");
        } else if (FeatureStep.NAME.equals(job.step()) && job.features() != null) {
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
