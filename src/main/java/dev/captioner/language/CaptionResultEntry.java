package dev.captioner.language;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a COCO results file ({@code {"image_id": .., "caption": ".."}}) and what the {@code caption} command's
 * options add to it; the command and the Spark {@code caption} job write the same entries.
 */
public final class CaptionResultEntry {

    private CaptionResultEntry() {
    }

    /**
     * @param grid         the decoder's attention grid (null without attention)
     * @param attention    add every token's attention map (as rows of weights)
     * @param alternatives above 0: add the tokens' log-probabilities and their alternatives
     */
    public static Map<String, Object> of(long imageId, Captioner.Caption caption, GridShape grid, boolean attention,
                                         int alternatives) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("image_id", imageId);
        result.put("caption", caption.text());
        if (attention || alternatives > 0) {
            result.put("tokens", caption.tokens());
        }
        if (attention) {
            result.put("attention", caption.attention().stream().map(grid::asRows).toList());
        }
        if (alternatives > 0) {
            result.put("logProbability", caption.logProbability());
            result.put("tokenLogProbabilities", caption.tokenLogProbabilities());
            if (caption.endLogProbability() != null) {
                result.put("endLogProbability", caption.endLogProbability());
            }
            result.put("alternatives", caption.alternatives());
        }
        return result;
    }
}
