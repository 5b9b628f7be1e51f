package dev.captioner.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import dev.captioner.CaptionerApplication;
import picocli.CommandLine;

/** A command line run in this JVM as {@code java -jar captioner.jar ARGS} would run it, with what it printed. */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = CaptionerCommand.commandLine(new CaptionerCommand(CaptionerApplication.class));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(CaptionerCommand.route(args));
        return new CliRun(exit, out.toString(), err.toString());
    }
}
