package dev.captioner.spark;

import java.io.Serializable;
import java.util.List;

/**
 * One image's outcome in the {@code caption} job.
 *
 * @param resultJson its COCO results entry as the {@code caption} command writes it (null when skipped)
 * @param nBest      the n best captions of the beam, best first, when the job writes Parquet (else null)
 */
record CaptionRow(ImageRef image, String resultJson, List<Candidate> nBest, String skipKind, String skipReason)
        implements Serializable {

    /** A caption of the beam with its log-probability and probability. */
    record Candidate(String caption, double logProbability, double probability) implements Serializable {
    }

    static CaptionRow skipped(Encoded encoded) {
        return new CaptionRow(encoded.image(), null, null, encoded.skipKind(), encoded.skipReason());
    }
}
