package dev.captioner.training.job;

public class TrainingJobNotFoundException extends RuntimeException {
    public TrainingJobNotFoundException(long id) {
        super("no training job " + id);
    }
}
