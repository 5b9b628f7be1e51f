package dev.captioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A start the project refuses (a data dir it cannot use, a setting it cannot work with) says why in one line and
 * exits 1; no stack trace reaches the console (it is logged at debug level).
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupRefusalTest {

    @TempDir
    Path root;

    @Test
    void aDataDirThatIsAFileIsOneLine(CapturedOutput output) throws Exception {
        Path file = Files.writeString(root.resolve("data"), "not a folder");
        CliRun run = serve("--captioner.data-dir=" + file);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("serve: captioner.data-dir " + file + " is a file, not a folder; "
                + "point CAPTIONER_DATA_DIR at a folder" + System.lineSeparator());
        assertNoStackTrace(output);
    }

    @Test
    void aDataDirThatCannotBeCreatedIsOneLine(CapturedOutput output) throws Exception {
        Path file = Files.writeString(root.resolve("file"), "x");
        CliRun run = serve("--captioner.data-dir=" + file.resolve("data"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("serve: captioner.data-dir " + file.resolve("data")
                + " does not exist and cannot be created (" + file + " is a file)" + System.lineSeparator());
        assertNoStackTrace(output);
    }

    /** Refused while the beans are made: the reason is found under Spring's bean-creation failures. */
    @Test
    void aSettingRefusedDuringStartupIsOneLine(CapturedOutput output) throws Exception {
        CliRun run = serve("--captioner.data-dir=" + Files.createDirectories(root.resolve("data")),
                "--captioner.admin.login-throttle.max-failures=0");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("serve: captioner.admin.login-throttle needs max-failures")
                .hasLineCount(1);
        assertNoStackTrace(output);
    }

    private CliRun serve(String... settings) throws Exception {
        Path models = Files.createDirectories(root.resolve("models"));
        String[] args = new String[settings.length + 3];
        args[0] = "serve";
        args[1] = "--server.port=0";
        args[2] = "--captioner.models-dir=" + models;
        System.arraycopy(settings, 0, args, 3, settings.length);
        return CliRun.of(args);
    }

    private static void assertNoStackTrace(CapturedOutput output) {
        assertThat(output.getAll()).doesNotContain("\tat ").doesNotContain("Application run failed")
                .doesNotContain("APPLICATION FAILED TO START").doesNotContain("Exception");
    }
}
