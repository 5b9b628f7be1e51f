package dev.captioner.language;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch's loss and gradients.
 *
 * @param loss           mean cross-entropy per token (comparable across decoder kinds)
 * @param regularization what the decoder adds to it in the objective (the attention term, weighted), else 0
 * @param gradients      by parameter name, in the decoder's {@link CaptionDecoder#trainable()} order
 */
public record DecoderGradients(double loss, double regularization, int tokens, Map<String, INDArray> gradients) {
}
