package dev.captioner.training.job;

import java.util.Arrays;
import java.util.Optional;

/** The training job's steps, in order, with the share of the whole job each stands for in its progress. */
public enum TrainingStep {

    PREPARE("prepare", 0.02),
    FEATURES("features", 0.48),
    TRAIN("train", 0.45),
    EVALUATE("evaluate", 0.04),
    REGISTER("register", 0.01);

    private final String id;
    private final double weight;

    TrainingStep(String id, double weight) {
        this.id = id;
        this.weight = weight;
    }

    /** The Spring Batch step name, and what the admin API shows as the job's {@code step}. */
    public String id() {
        return id;
    }

    double weight() {
        return weight;
    }

    public static Optional<TrainingStep> byId(String id) {
        return Arrays.stream(values()).filter(step -> step.id.equals(id)).findFirst();
    }
}
