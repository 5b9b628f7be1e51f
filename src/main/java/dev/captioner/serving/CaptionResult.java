package dev.captioner.serving;

import java.util.List;

import dev.captioner.language.Captioner;

/** Captions for one image, best first, with where the time went. */
public record CaptionResult(List<Captioner.Caption> captions, String modelId, String encoderId,
                            long decodeMillis, long encodeMillis, long generateMillis) {
}
