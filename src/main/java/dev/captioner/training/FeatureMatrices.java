package dev.captioner.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.captioner.store.AtomicFiles;
import dev.captioner.store.ParameterFile;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dataset's extracted features kept as named matrices in one file (the demo builders' "train", "validation",
 * ...), so that a re-run reuses them instead of encoding every image again. Written aside, then renamed into place.
 */
public final class FeatureMatrices {

    private FeatureMatrices() {
    }

    /** The stored matrices by name, or empty when the file is not there. */
    public static Optional<Map<String, float[][]>> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Map<String, float[][]> matrices = new LinkedHashMap<>();
        ParameterFile.read(file).forEach((name, array) -> matrices.put(name, array.toFloatMatrix()));
        return Optional.of(matrices);
    }

    public static void write(Path file, Map<String, float[][]> matrices) throws IOException {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        matrices.forEach((name, rows) -> arrays.put(name, Nd4j.create(rows)));
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        ParameterFile.write(temp, arrays);
        AtomicFiles.move(temp, file);
    }
}
