package dev.captioner.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Option values picocli parses but cannot judge: refused as usage errors (exit 2), before any work. */
final class Checks {

    private Checks() {
    }

    static void positive(CommandSpec spec, String option, long value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, not " + value);
        }
    }
}
