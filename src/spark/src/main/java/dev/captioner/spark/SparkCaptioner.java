package dev.captioner.spark;

import java.io.PrintWriter;

import dev.captioner.language.InvalidCaptionOptionsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code spark-submit captioner-spark.jar features|caption ...}: the service's VGG16 and decoders as Spark jobs,
 * for collections one machine cannot get through (README, "Beyond one machine").
 */
@Command(name = "captioner-spark", mixinStandardHelpOptions = true, subcommands = {FeaturesJob.class, CaptionJob.class},
        description = "VGG16 features and batch captioning as Apache Spark jobs.")
public final class SparkCaptioner {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a job in this JVM: 0 on success, 1 when it failed, 2 for a bad command line or option. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)}, printing to the given writers (the last line of {@code out}: the counts). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new SparkCaptioner()).setOut(out).setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            line.getErr().println(line.getCommandName() + ": " + messageOf(exception));
            line.getErr().flush();
            return exception instanceof IllegalArgumentException || exception instanceof InvalidCaptionOptionsException
                    ? 2 : 1;
        });
        return commandLine.execute(args);
    }

    private static String messageOf(Throwable exception) {
        Throwable cause = exception;
        while (cause.getCause() != null && (cause.getMessage() == null || cause instanceof java.io.UncheckedIOException)) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
