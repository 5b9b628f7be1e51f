package dev.captioner.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The service's own {@code caption} command, run in a JVM of its own from the service's build (its classes and
 * Spring class path, which this build must not have): what the Spark job's results must equal.
 */
final class SingleMachineCaption {

    private SingleMachineCaption() {
    }

    /** The repository's model store, where the demo models are. */
    static Path repositoryModels() {
        return Path.of(System.getProperty("captioner.repository.root", "../..")).resolve("models").toAbsolutePath().normalize();
    }

    /** A store holding only {@code modelId}, active, copied from the repository's. */
    static Path storeWith(String modelId, Path dir) throws IOException {
        Path store = Files.createDirectories(dir);
        Path folder = Files.createDirectories(store.resolve(modelId));
        try (Stream<Path> files = Files.list(repositoryModels().resolve(modelId))) {
            for (Path file : files.toList()) {
                Files.copy(file, folder.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(store.resolve("ACTIVE"), modelId);
        return store;
    }

    /** Runs {@code caption} with the store's active model; skips the test where the service's build did not say how. */
    static Path run(Path images, Path store, Path workDir, String... options) throws IOException, InterruptedException {
        String classpath = System.getProperty("captioner.service.classpath", "");
        assumeTrue(!classpath.isBlank(), "the service's class path is not known: this build was not started by the "
                + "service's (./mvnw test), so the single-machine caption command cannot be run beside the job");
        Path output = workDir.resolve("single-machine.json");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", classpath, "dev.captioner.CaptionerApplication", "caption", "--images", images.toString(),
                "--output", output.toString(), "--models-dir", store.toString(),
                "--data-dir", workDir.resolve("data").toString()));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("single-machine.log").toFile());
        builder.environment().put("OMP_WAIT_POLICY", "passive");
        int code = builder.start().waitFor();
        if (code != 0) {
            throw new AssertionError("the caption command failed (" + code + "):\n"
                    + Files.readString(workDir.resolve("single-machine.log")));
        }
        return output;
    }
}
