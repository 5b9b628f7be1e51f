package dev.captioner.language;

import java.util.List;

import dev.captioner.evaluation.PtbTokenizer;

/**
 * Caption words for the vocabulary: the COCO evaluation toolkit's tokenization (PTB, lower-cased,
 * punctuation tokens removed), so that training and evaluation see exactly the same words.
 */
public final class CaptionTokenizer {

    private static final PtbTokenizer PTB = new PtbTokenizer();

    private CaptionTokenizer() {
    }

    public static List<String> tokenize(String caption) {
        return PTB.tokenize(caption);
    }
}
