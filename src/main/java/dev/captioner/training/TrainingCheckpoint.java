package dev.captioner.training;

import dev.captioner.config.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.captioner.language.CaptionDecoder;
import dev.captioner.store.AtomicFiles;
import dev.captioner.store.ParameterFile;
import org.nd4j.linalg.api.ndarray.INDArray;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything needed to continue training exactly where it stopped: the decoder after the last finished
 * epoch, the optimiser's moments and step count, the learning rate, the best decoder so far and the epoch
 * history. Written to a temporary folder and renamed over the previous checkpoint, so a crash while
 * writing leaves the previous one intact.
 */
public record TrainingCheckpoint(State state, CaptionDecoder decoder, CaptionDecoder best, Map<String, INDArray> firstMoments,
                                 Map<String, INDArray> secondMoments) {

    /** The scalar part, stored as {@code state.json}. */
    public record State(int epoch, double learningRate, long optimizerSteps, int bestEpoch, double bestLoss,
                        List<DecoderTrainer.EpochResult> history) {
    }

    static final String FOLDER = "last";
    private static final String STATE = "state.json";
    private static final String ARRAYS = "arrays.bin";
    private static final String DECODER = "decoder.";
    private static final String BEST = "best.";
    private static final String FIRST = "adam.m.";
    private static final String SECOND = "adam.v.";
    private static final JsonMapper JSON = JsonFiles.MAPPER;

    public void write(Path checkpointDir) throws IOException {
        Files.createDirectories(checkpointDir);
        Path temp = checkpointDir.resolve(".tmp-" + UUID.randomUUID());
        Files.createDirectories(temp);
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        decoder.parameters().forEach((name, array) -> arrays.put(DECODER + name, array));
        best.parameters().forEach((name, array) -> arrays.put(BEST + name, array));
        firstMoments.forEach((name, array) -> arrays.put(FIRST + name, array));
        secondMoments.forEach((name, array) -> arrays.put(SECOND + name, array));
        ParameterFile.write(temp.resolve(ARRAYS), arrays);
        Files.writeString(temp.resolve(STATE), JSON.writeValueAsString(state));
        Path target = checkpointDir.resolve(FOLDER);
        Path previous = checkpointDir.resolve(".old-" + UUID.randomUUID());
        if (Files.exists(target)) {
            AtomicFiles.move(target, previous);
        }
        AtomicFiles.move(temp, target);
        AtomicFiles.deleteQuietly(previous);
    }

    public static Optional<TrainingCheckpoint> read(Path checkpointDir) throws IOException {
        Path folder = checkpointDir.resolve(FOLDER);
        if (!Files.isRegularFile(folder.resolve(STATE)) || !Files.isRegularFile(folder.resolve(ARRAYS))) {
            return Optional.empty();
        }
        State state = JSON.readValue(folder.resolve(STATE).toFile(), State.class);
        Map<String, INDArray> arrays = ParameterFile.read(folder.resolve(ARRAYS));
        return Optional.of(new TrainingCheckpoint(state,
                CaptionDecoder.fromParameters(withPrefix(arrays, DECODER)),
                CaptionDecoder.fromParameters(withPrefix(arrays, BEST)),
                withPrefix(arrays, FIRST), withPrefix(arrays, SECOND)));
    }

    private static Map<String, INDArray> withPrefix(Map<String, INDArray> arrays, String prefix) {
        Map<String, INDArray> result = new LinkedHashMap<>();
        arrays.forEach((name, array) -> {
            if (name.startsWith(prefix)) {
                result.put(name.substring(prefix.length()), array);
            }
        });
        return result;
    }
}
