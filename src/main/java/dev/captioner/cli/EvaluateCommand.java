package dev.captioner.cli;

import dev.captioner.config.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.captioner.dataset.CocoCaptions;
import dev.captioner.evaluation.CaptionEvaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code evaluate}: scores COCO results-format captions against COCO references and prints one JSON object with
 * the toolkit's keys. Every problem with the inputs is a one-line message and exit code 1 (2 for bad usage).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = CaptionerVersion.class,
        sortOptions = false, description = "Scores COCO results-format captions ([{\"image_id\": .., \"caption\": \"..\"}]) "
        + "against a COCO captions file with the COCO caption toolkit's metrics (BLEU-1..4, ROUGE-L, CIDEr-D, its PTB "
        + "tokenization) and prints one JSON object with the toolkit's keys.")
final class EvaluateCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonFiles.MAPPER;

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Result(@JsonProperty("image_id") Long imageId, String caption) {
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--annotations", paramLabel = "CAPTIONS.json", required = true, description = "COCO captions file with the references")
    Path annotations;

    @Option(names = "--results", paramLabel = "RESULTS.json", required = true, description = "the captions to score, one per annotated image")
    Path results;

    @Option(names = "--per-image", description = "also print every image's scores")
    boolean perImage;

    @Override
    public Integer call() {
        try {
            Map<String, List<String>> references = references(annotations);
            Map<String, String> candidates = candidates(results, references);
            CaptionEvaluator.Evaluation evaluation = new CaptionEvaluator().evaluate(references, candidates);
            Map<String, Object> output = new LinkedHashMap<>(evaluation.corpus());
            if (perImage) {
                output.put("perImage", evaluation.perImage());
            }
            spec.commandLine().getOut().println(JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(output));
            return 0;
        } catch (InputException e) {
            spec.commandLine().getErr().println("evaluate: " + e.getMessage());
            return 1;
        }
    }

    private static Map<String, List<String>> references(Path file) {
        requireFile(file, "annotations");
        CocoCaptions coco;
        try {
            coco = CocoCaptions.read(file);
        } catch (IOException e) {
            throw new InputException(e.getMessage());
        }
        Map<String, List<String>> references = new LinkedHashMap<>();
        coco.captionsByImage().forEach((image, captions) -> references.put(String.valueOf(image.id()), captions));
        if (references.isEmpty()) {
            throw new InputException(file + " has no images with captions");
        }
        return references;
    }

    private static Map<String, String> candidates(Path file, Map<String, List<String>> references) {
        requireFile(file, "results");
        List<Result> results;
        try {
            results = JSON.readValue(file.toFile(), new TypeReference<List<Result>>() { });
        } catch (JacksonException e) {
            throw new InputException(file + " is not a COCO results file ([{\"image_id\": .., \"caption\": \"..\"}]): "
                    + e.getOriginalMessage());
        }
        Map<String, String> candidates = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Result result : results) {
            if (result == null || result.imageId() == null || result.caption() == null) {
                throw new InputException(file + ": every result needs an image_id and a caption");
            }
            String id = String.valueOf(result.imageId());
            if (!references.containsKey(id)) {
                unknown.add(id);
            } else if (candidates.put(id, result.caption()) != null) {
                throw new InputException(file + ": more than one result for image " + id);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InputException(unknown.size() + " results are for images not in the annotations, e.g. "
                    + unknown.subList(0, Math.min(5, unknown.size())));
        }
        List<String> missing = references.keySet().stream().filter(id -> !candidates.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            throw new InputException(missing.size() + " annotated images have no result, e.g. "
                    + missing.subList(0, Math.min(5, missing.size())));
        }
        return candidates;
    }

    private static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new InputException(what + " file " + file + " does not exist");
        }
    }

    private static final class InputException extends RuntimeException {
        InputException(String message) {
            super(message);
        }
    }
}
