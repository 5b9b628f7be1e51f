package dev.captioner.spark;

/**
 * What became of one image on an executor: its features, or why it was left out.
 *
 * @param skipKind the reason's group for counting (null when encoded); {@code skipReason}: the reason itself
 */
record Encoded(ImageRef image, float[] features, String skipKind, String skipReason) {

    boolean ok() {
        return features != null;
    }
}
