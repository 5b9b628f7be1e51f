package dev.captioner.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code java -jar captioner.jar [command]}: the service and every offline tool, one picocli command each.
 * Without a command (or with only Spring settings such as {@code --server.port=9090}) it serves, as a bare
 * {@code java -jar} and {@code ./mvnw spring-boot:run} always have. An unknown command or option prints the
 * usage and exits 2 without starting anything; a failure exits 1; success 0.
 */
@Command(name = "captioner", mixinStandardHelpOptions = true, versionProvider = CaptionerVersion.class,
        description = "Image captioning: a VGG16 encoder and an LSTM decoder behind an HTTP API, and the tools "
                + "to train, caption and evaluate offline. Without a command it serves.",
        subcommands = {ServeCommand.class, TrainCommand.class, TrainDemoCommand.class, CompareScenesCommand.class,
                GenerateShapesCommand.class,
                GenerateScenesCommand.class, CaptionCommand.class, CalibrateCommand.class, EvaluateCommand.class,
                TokenizeCommand.class,
                FetchWeightsCommand.class})
public final class CaptionerCommand implements Callable<Integer> {

    /** What {@link #execute} returns when the service was started and the process must keep running. */
    public static final int SERVING = -1;

    private final Class<?> application;
    private boolean serving;

    @Spec
    CommandSpec spec;

    /** @param application the {@code @SpringBootApplication} class that {@code serve} and {@code train} start */
    public CaptionerCommand(Class<?> application) {
        this.application = application;
    }

    /** Runs a command line; {@link #SERVING} when the web service is up, else the exit status. */
    public static int execute(Class<?> application, String[] args) {
        CaptionerCommand top = new CaptionerCommand(application);
        int exit = commandLine(top).execute(route(args));
        return top.serving && exit == 0 ? SERVING : exit;
    }

    /** The command tree; a command that fails says why in one line and exits 1 (bad arguments: usage, 2). */
    static CommandLine commandLine(CaptionerCommand top) {
        CommandLine commandLine = new CommandLine(top);
        commandLine.setParameterExceptionHandler((problem, args) -> {
            CommandLine command = problem.getCommandLine();
            command.getErr().println(problem.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(problem, command.getErr());
            command.usage(command.getErr());
            return command.getCommandSpec().exitCodeOnInvalidInput();
        });
        commandLine.setExecutionExceptionHandler((failure, command, parsed) -> {
            command.getErr().println(command.getCommandName() + ": " + describe(failure));
            return 1;
        });
        return commandLine;
    }

    private static String describe(Throwable failure) {
        Optional<Throwable> refusal = StartupRefusals.in(failure);
        if (refusal.isPresent()) {
            return refusal.get().getMessage();
        }
        Throwable cause = failure;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /**
     * No command, or only Spring settings, means {@code serve} (the Docker image passes its arguments here:
     * {@code docker run captioner --captioner.batching.max-batch=4}); anything else goes to picocli as it is.
     */
    static String[] route(String[] args) {
        boolean onlySettings = args.length == 0 || java.util.Arrays.stream(args).allMatch(ServeCommand::isSetting);
        if (!onlySettings) {
            return args;
        }
        List<String> routed = new ArrayList<>(List.of("serve"));
        routed.addAll(List.of(args));
        return routed.toArray(String[]::new);
    }

    Class<?> application() {
        return application;
    }

    void serving() {
        serving = true;
    }

    /** Reached only with no command at all after routing, which cannot happen; print the usage to be safe. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
