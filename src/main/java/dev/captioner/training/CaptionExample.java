package dev.captioner.training;

/** One training caption: which image (row of the feature matrix) and its START..END word ids. */
public record CaptionExample(int imageIndex, int[] sequence) {
}
