package dev.captioner.training.scenes;

import dev.captioner.config.JsonFiles;
import java.util.Locale;
import java.util.Optional;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.node.ObjectNode;

/**
 * One decoder's scores on a set of scenes: one line of the comparison table, or a JSON object.
 *
 * @param bleu4    corpus BLEU-4 against the scenes' own captions (the project's evaluator)
 * @param ciderD   corpus CIDEr-D against the same
 * @param pointing empty for a decoder without attention
 */
public record SceneScores(String decoder, int images, double bleu4, double ciderD, ObjectNaming objects,
                          CountAccuracy counts, Optional<PointingAccuracy> pointing) {

    /** The table's header and the line under it. */
    public static String markdownHeader() {
        return "| decoder | images | BLEU-4 | CIDEr-D | object F1 | count accuracy | pointing accuracy |\n"
                + "|---|---:|---:|---:|---:|---:|---:|";
    }

    /** "| attention LSTM | 500 | 0.312 | 1.045 | 0.874 | 0.910 (coverage 0.64) | 0.705 (chance 0.093) |". */
    public String markdownRow() {
        String pointingCell = pointing.map(p -> decimal(p.accuracy()) + " (chance " + decimal(p.chance()) + ")")
                .orElse("—");
        return "| " + decoder.replace("|", "\\|") + " | " + images + " | " + decimal(bleu4) + " | " + decimal(ciderD)
                + " | " + decimal(objects.f1()) + " | " + decimal(counts.accuracy()) + " (coverage "
                + decimal(counts.coverage()) + ") | " + pointingCell + " |";
    }

    /** The scores with the counts behind every ratio; {@code pointing} is null without attention. */
    public ObjectNode toJson() {
        ObjectNode json = JsonFiles.MAPPER.createObjectNode().put("decoder", decoder).put("images", images)
                .put("bleu4", bleu4).put("ciderD", ciderD);
        json.putObject("objects").put("f1", objects.f1()).put("precision", objects.precision())
                .put("recall", objects.recall()).put("truePositives", objects.truePositives())
                .put("falsePositives", objects.falsePositives()).put("falseNegatives", objects.falseNegatives());
        json.putObject("counts").put("accuracy", counts.accuracy()).put("coverage", counts.coverage())
                .put("claims", counts.claims()).put("claimsHeld", counts.claimsHeld())
                .put("captionsWithClaims", counts.captionsWithClaims()).put("captions", counts.captions());
        pointing.ifPresentOrElse(p -> json.putObject("pointing").put("accuracy", p.accuracy())
                .put("chance", p.chance()).put("words", p.words()).put("hits", p.hits()),
                () -> json.putNull("pointing"));
        return json;
    }

    /** {@link #toJson()} on one line, for a results file of one line per decoder. */
    public String toJsonLine() {
        return JsonFiles.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson());
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
