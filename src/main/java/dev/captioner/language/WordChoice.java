package dev.captioner.language;

/** A word id with its log-probability at one generation step (natural log, the model's own distribution). */
public record WordChoice(int word, double logProbability) {
}
