package dev.captioner.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import dev.captioner.vision.Dl4jRuntime;
import org.springframework.boot.SpringApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code serve}: the web service, with Spring settings as arguments ({@code --server.port=9090}). */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = CaptionerVersion.class,
        description = {"Starts the web service (what a bare 'java -jar captioner.jar' does).",
                "Arguments are Spring settings: --name.with.dots=value (e.g. --server.port=9090, "
                        + "--captioner.models-dir=/srv/models), or --debug / --trace; anything else is refused."})
final class ServeCommand implements Callable<Integer> {

    /** Spring's command-line property form; a name with a dot, so a misspelt option is never taken for one. */
    private static final Pattern SETTING = Pattern.compile("--([A-Za-z][A-Za-z0-9_\\-\\[\\]]*(\\.[A-Za-z0-9_\\-\\[\\]]+)+)(=.*)?",
            Pattern.DOTALL);
    private static final Set<String> SPRING_FLAGS = Set.of("--debug", "--trace");

    @ParentCommand
    CaptionerCommand parent;

    @Spec
    CommandSpec spec;

    @Unmatched
    List<String> settings = new ArrayList<>();

    static boolean isSetting(String arg) {
        return SPRING_FLAGS.contains(arg) || SETTING.matcher(arg).matches();
    }

    @Override
    public Integer call() {
        for (String setting : settings) {
            if (!isSetting(setting)) {
                throw new ParameterException(spec.commandLine(), "'" + setting + "' is not a Spring setting "
                        + "(--name.with.dots=value): the service was not started");
            }
        }
        // the native backend loads while the web context starts: a new replica is ready seconds sooner
        Dl4jRuntime.loadInBackground();
        SpringApplication.run(parent.application(), settings.toArray(String[]::new));
        parent.serving();
        return 0;
    }
}
