package dev.captioner.training.synthetic;

/** Where one object is relative to another, judged by their boxes' centres (y grows downwards). */
enum SceneRelation {
    LEFT_OF("to the left of"),
    RIGHT_OF("to the right of"),
    ABOVE("above"),
    BELOW("below");

    private final String phrase;

    SceneRelation(String phrase) {
        this.phrase = phrase;
    }

    String phrase() {
        return phrase;
    }

    /**
     * The relation of {@code subject} to {@code reference} along the axis their centres are furthest apart on, so
     * the one named is the one a viewer sees; never a tie, as boxes that do not intersect are apart on some axis.
     */
    static SceneRelation of(SceneObject subject, SceneObject reference) {
        double dx = subject.centreX() - reference.centreX();
        double dy = subject.centreY() - reference.centreY();
        if (Math.abs(dx) >= Math.abs(dy)) {
            return dx < 0 ? LEFT_OF : RIGHT_OF;
        }
        return dy < 0 ? ABOVE : BELOW;
    }
}
