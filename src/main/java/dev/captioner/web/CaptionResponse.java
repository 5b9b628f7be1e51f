package dev.captioner.web;

import java.util.List;
import java.util.Map;

import dev.captioner.serving.CaptionResult;

/** JSON body of a successful caption request. */
public record CaptionResponse(List<CaptionJson> captions, ModelJson model, Map<String, Long> timingsMs) {

    public record CaptionJson(String text, List<String> tokens, double logProbability, double probability) {
    }

    public record ModelJson(String id, String encoder) {
    }

    static CaptionResponse from(CaptionResult result) {
        return new CaptionResponse(
                result.captions().stream()
                        .map(c -> new CaptionJson(c.text(), c.tokens(), c.logProbability(), c.probability()))
                        .toList(),
                new ModelJson(result.modelId(), result.encoderId()),
                Map.of("decode", result.decodeMillis(), "encode", result.encodeMillis(),
                        "generate", result.generateMillis()));
    }
}
