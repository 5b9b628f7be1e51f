package dev.captioner.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.captioner.dataset.CocoCaptions;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code evaluate --annotations captions_val2014.json --results results.json [--per-image]}: scores COCO
 * results-format captions against COCO references and prints one JSON object with the toolkit's keys.
 * Every problem with the inputs is a one-line message and exit code 1 (2 for bad usage), never a trace.
 */
public final class EvaluateCommand {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Result(@JsonProperty("image_id") Long imageId, String caption) {
    }

    private EvaluateCommand() {
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path annotations = null;
        Path results = null;
        boolean perImage = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--annotations" -> annotations = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--results" -> results = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--per-image" -> perImage = true;
                default -> {
                    err.println("evaluate: unknown option '" + args[i] + "'");
                    return 2;
                }
            }
        }
        if (annotations == null || results == null) {
            err.println("usage: evaluate --annotations CAPTIONS.json --results RESULTS.json [--per-image]");
            return 2;
        }
        try {
            Map<String, List<String>> references = references(annotations);
            Map<String, String> candidates = candidates(results, references);
            CaptionEvaluator.Evaluation evaluation = new CaptionEvaluator().evaluate(references, candidates);
            Map<String, Object> output = new LinkedHashMap<>(evaluation.corpus());
            if (perImage) {
                output.put("perImage", evaluation.perImage());
            }
            out.println(JSON.writeValueAsString(output));
            return 0;
        } catch (InputException e) {
            err.println("evaluate: " + e.getMessage());
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
