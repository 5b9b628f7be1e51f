package dev.captioner.serving;

import java.util.List;

import dev.captioner.language.Captioner;
import dev.captioner.language.GridShape;

/**
 * Captions for one image, best first, with where the time went.
 *
 * @param attentionGrid the grid the captions' attention maps are over; null for a model without attention
 * @param confidences   each caption's calibrated confidence (0..1), in order; null for a model without a
 *                      calibration
 */
public record CaptionResult(List<Captioner.Caption> captions, String modelId, String encoderId,
                            long decodeMillis, long encodeMillis, long generateMillis, GridShape attentionGrid,
                            List<Double> confidences) {

    public CaptionResult(List<Captioner.Caption> captions, String modelId, String encoderId, long decodeMillis,
                         long encodeMillis, long generateMillis, GridShape attentionGrid) {
        this(captions, modelId, encoderId, decodeMillis, encodeMillis, generateMillis, attentionGrid, null);
    }

    public CaptionResult(List<Captioner.Caption> captions, String modelId, String encoderId, long decodeMillis,
                         long encodeMillis, long generateMillis) {
        this(captions, modelId, encoderId, decodeMillis, encodeMillis, generateMillis, null);
    }
}
