package dev.captioner.serving;

import java.util.List;

import dev.captioner.language.Captioner;
import dev.captioner.language.GridShape;

/**
 * Captions for one image, best first, with where the time went.
 *
 * @param attentionGrid the grid the captions' attention maps are over; null for a model without attention
 */
public record CaptionResult(List<Captioner.Caption> captions, String modelId, String encoderId,
                            long decodeMillis, long encodeMillis, long generateMillis, GridShape attentionGrid) {

    public CaptionResult(List<Captioner.Caption> captions, String modelId, String encoderId, long decodeMillis,
                         long encodeMillis, long generateMillis) {
        this(captions, modelId, encoderId, decodeMillis, encodeMillis, generateMillis, null);
    }
}
