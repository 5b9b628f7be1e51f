package dev.captioner.serving;

import java.util.List;

/** Captions for one image, best first, with where the time went. */
public record CaptionResult(List<Caption> captions, String modelId, String encoderId,
                            long decodeMillis, long encodeMillis, long generateMillis) {

    public record Caption(String text, List<String> tokens, double logProbability, double probability,
                          boolean complete) {
    }
}
