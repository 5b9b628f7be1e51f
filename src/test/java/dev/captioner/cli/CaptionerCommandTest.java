package dev.captioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a whole: help and version everywhere, an unknown command or option is a usage error (2)
 * that starts nothing, a failure is 1, success 0, and only Spring settings (or nothing) mean "serve".
 */
class CaptionerCommandTest {

    private static final String[] COMMANDS = {"serve", "train", "train-demo", "generate-shapes", "generate-scenes",
            "caption", "calibrate", "evaluate", "tokenize", "fetch-weights"};

    @TempDir
    Path dir;

    @Test
    void everyCommandAndTheTopOneAnswerHelpAndVersion() {
        CliRun top = CliRun.of("--help");
        assertThat(top.exit()).isZero();
        assertThat(top.out()).contains("Usage: captioner");
        for (String command : COMMANDS) {
            assertThat(top.out()).as("listed: " + command).contains(command);
            CliRun help = CliRun.of(command, "--help");
            assertThat(help.exit()).as(command + " --help").isZero();
            assertThat(help.out()).contains("Usage: captioner " + command);
            CliRun version = CliRun.of(command, "--version");
            assertThat(version.exit()).as(command + " --version").isZero();
            assertThat(version.out()).startsWith("captioner ");
        }
        assertThat(CliRun.of("--version").out()).startsWith("captioner ");
    }

    @Test
    void anUnknownCommandOrOptionIsAUsageErrorThatStartsNothing() {
        CliRun misspelt = CliRun.of("trian", "--request", "job.json");
        assertThat(misspelt.exit()).isEqualTo(2);
        assertThat(misspelt.err()).contains("Unmatched argument").contains("Usage: captioner");

        CliRun epoch = CliRun.of("train-demo", "--epoch", "5", "--models", dir.resolve("m").toString(),
                "--data", dir.resolve("d").toString());
        assertThat(epoch.exit()).as("--epoch is not --epochs: no silent 30-epoch run").isEqualTo(2);
        assertThat(epoch.err()).contains("--epoch");
        assertThat(dir.resolve("m")).doesNotExist();
        assertThat(dir.resolve("d")).doesNotExist();

        CliRun notASetting = CliRun.of("serve", "--port=9090");
        assertThat(notASetting.exit()).as("not a Spring setting: the server does not start").isEqualTo(2);
        assertThat(notASetting.err()).contains("is not a Spring setting");
        assertThat(CliRun.of("--hepl").exit()).isEqualTo(2);
        assertThat(CliRun.of("generate-shapes", "--output", dir.resolve("g").toString(), "--count", "0").exit())
                .as("a value out of range").isEqualTo(2);
        assertThat(dir.resolve("g")).doesNotExist();
    }

    @Test
    void successIsZeroAndFailureIsOne() throws Exception {
        CliRun shapes = CliRun.of("generate-shapes", "--output", dir.resolve("shapes").toString(), "--count", "2");
        assertThat(shapes.exit()).as(shapes.err()).isZero();
        assertThat(shapes.out().lines()).hasSize(2);
        assertThat(Files.list(dir.resolve("shapes/images"))).hasSize(2);

        CliRun missing = CliRun.of("evaluate", "--annotations", dir.resolve("none.json").toString(),
                "--results", dir.resolve("none.json").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("does not exist").doesNotContain("Exception");
    }

    @Test
    void onlySpringSettingsOrNothingMeanServe() {
        assertThat(CaptionerCommand.route(new String[0])).containsExactly("serve");
        assertThat(CaptionerCommand.route(new String[] {"--server.port=9090", "--captioner.batching.max-batch=4"}))
                .containsExactly("serve", "--server.port=9090", "--captioner.batching.max-batch=4");
        assertThat(CaptionerCommand.route(new String[] {"--debug"})).containsExactly("serve", "--debug");
        assertThat(CaptionerCommand.route(new String[] {"--help"})).containsExactly("--help");
        assertThat(CaptionerCommand.route(new String[] {"--port=9090"})).containsExactly("--port=9090");
        assertThat(CaptionerCommand.route(new String[] {"evaluate", "--server.port=1"})).startsWith("evaluate");
    }
}
