package dev.captioner.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Where a synthetic dataset goes, how many pictures and the seed: shared by the generate-* commands. */
final class DatasetGenerationOptions {

    @Option(names = "--output", paramLabel = "DIR", required = true, description = "where to write the dataset")
    Path output;

    @Option(names = "--count", paramLabel = "N", defaultValue = "10", description = "pictures (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;
}
