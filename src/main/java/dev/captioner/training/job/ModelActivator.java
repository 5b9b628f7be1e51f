package dev.captioner.training.job;

/** Makes a stored model the one that serves captions (in the service: an atomic swap of the live model). */
@FunctionalInterface
public interface ModelActivator {
    void activate(String modelId);
}
