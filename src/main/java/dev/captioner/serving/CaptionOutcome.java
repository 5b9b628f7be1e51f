package dev.captioner.serving;

import dev.captioner.vision.ImageRejectedException;

/**
 * What became of one image of a batch request: its captions, or why the image was refused (the refusal it would
 * get alone, as a single request).
 */
public record CaptionOutcome(CaptionResult result, ImageRejectedException rejection) {

    public static CaptionOutcome captioned(CaptionResult result) {
        return new CaptionOutcome(result, null);
    }

    public static CaptionOutcome rejected(ImageRejectedException rejection) {
        return new CaptionOutcome(null, rejection);
    }
}
