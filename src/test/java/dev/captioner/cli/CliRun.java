package dev.captioner.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import dev.captioner.CaptionerApplication;
import picocli.CommandLine;

/** A command line run in this JVM as {@code java -jar captioner.jar ARGS} would run it, with what it printed. */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        return withInput(null, args);
    }

    /** As {@link #of}, with {@code input} (UTF-8) as the standard input of the {@code tokenize} command. */
    static CliRun withInput(String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = CaptionerCommand.commandLine(new CaptionerCommand(CaptionerApplication.class));
        if (input != null) {
            TokenizeCommand tokenize = commandLine.getSubcommands().get("tokenize").getCommand();
            tokenize.input = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        }
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(CaptionerCommand.route(args));
        return new CliRun(exit, out.toString(), err.toString());
    }
}
