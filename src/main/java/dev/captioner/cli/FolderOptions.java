package dev.captioner.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

/** The data dir and the model store, for commands that work on both: each overrides its setting when given. */
final class FolderOptions {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data dir (default: captioner.data-dir, ./data)")
    Path dataDir;

    @Option(names = {"--models-dir", "--models"}, paramLabel = "DIR",
            description = "model store (default: captioner.models-dir, ./models)")
    Path modelsDir;

    /** As {@code captioner.x=value} settings. */
    List<String> overrides() {
        List<String> overrides = new ArrayList<>();
        if (dataDir != null) {
            overrides.add("captioner.data-dir=" + dataDir);
        }
        if (modelsDir != null) {
            overrides.add("captioner.models-dir=" + modelsDir);
        }
        return overrides;
    }
}
