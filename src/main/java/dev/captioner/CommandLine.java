package dev.captioner;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

import dev.captioner.cli.FetchWeightsCommand;
import dev.captioner.evaluation.CaptionCommand;
import dev.captioner.evaluation.EvaluateCommand;
import dev.captioner.training.job.TrainCommand;
import dev.captioner.training.synthetic.DemoModelCommand;
import dev.captioner.training.synthetic.GenerateShapesCommand;

/** Commands that run without the web server: {@code java -jar captioner.jar <command> [options]}. */
final class CommandLine {

    private static final Map<String, Function<String[], Integer>> COMMANDS = Map.of(
            "train-demo", DemoModelCommand::run,
            "generate-shapes", GenerateShapesCommand::run,
            "evaluate", EvaluateCommand::run,
            "caption", CaptionCommand::run,
            "train", TrainCommand::run,
            "fetch-weights", args -> new picocli.CommandLine(new FetchWeightsCommand()).execute(args));

    private CommandLine() {
    }

    static boolean isCommand(String name) {
        return COMMANDS.containsKey(name);
    }

    static int run(String[] args) {
        return COMMANDS.get(args[0]).apply(Arrays.copyOfRange(args, 1, args.length));
    }
}
