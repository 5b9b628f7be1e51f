package dev.captioner.training;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.captioner.language.CaptionDecoder;

/**
 * Decoder training hyper-parameters.
 *
 * @param attention         the attention decoder's own settings; null trains the fc7 LSTM
 * @param learningRateDecay multiplied into the learning rate after every epoch
 * @param gradientClipNorm  global L2 norm the gradient is scaled down to when it exceeds it
 * @param dropout           dropout rate on the image features and on the LSTM output
 * @param weightDecay       decoupled (AdamW-style) decay on weight matrices, not biases or embeddings
 */
public record TrainingConfig(int embeddingSize, int hiddenSize, int epochs, int batchSize, double learningRate,
                             double learningRateDecay, double gradientClipNorm, double dropout,
                             double weightDecay, long seed, Attention attention) {

    /**
     * @param attentionSize  A, the space positions and the hidden state are compared in
     * @param regularization lambda of the doubly stochastic term
     */
    public record Attention(int attentionSize, double regularization) {
        public Attention {
            if (attentionSize < 1 || !(regularization >= 0) || Double.isInfinite(regularization)) {
                throw new IllegalArgumentException("attentionSize must be positive, attentionRegularization >= 0");
            }
        }
    }

    /** The fc7 LSTM's configuration. */
    public TrainingConfig(int embeddingSize, int hiddenSize, int epochs, int batchSize, double learningRate,
                          double learningRateDecay, double gradientClipNorm, double dropout, double weightDecay,
                          long seed) {
        this(embeddingSize, hiddenSize, epochs, batchSize, learningRate, learningRateDecay, gradientClipNorm, dropout,
                weightDecay, seed, null);
    }

    public TrainingConfig withAttention(Attention settings) {
        return new TrainingConfig(embeddingSize, hiddenSize, epochs, batchSize, learningRate, learningRateDecay,
                gradientClipNorm, dropout, weightDecay, seed, settings);
    }

    /** {@code lstm} or {@code attention}, as manifests name the decoder. */
    public String decoder() {
        return attention == null ? CaptionDecoder.LSTM : CaptionDecoder.ATTENTION;
    }

    public TrainingConfig {
        if (embeddingSize < 1 || hiddenSize < 1 || epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("sizes, epochs and batch size must be positive");
        }
        if (!(learningRate > 0) || !(gradientClipNorm > 0) || dropout < 0 || dropout >= 1 || weightDecay < 0) {
            throw new IllegalArgumentException("learningRate and gradientClipNorm must be > 0, dropout in [0, 1)");
        }
    }

    /** The hyper-parameters by name, as recorded in a model's manifest. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("embeddingSize", embeddingSize);
        map.put("hiddenSize", hiddenSize);
        map.put("epochs", epochs);
        map.put("batchSize", batchSize);
        map.put("learningRate", learningRate);
        map.put("learningRateDecay", learningRateDecay);
        map.put("gradientClipNorm", gradientClipNorm);
        map.put("dropout", dropout);
        map.put("weightDecay", weightDecay);
        map.put("seed", seed);
        if (attention != null) {
            map.put("decoder", decoder());
            map.put("attentionSize", attention.attentionSize());
            map.put("attentionRegularization", attention.regularization());
        }
        return map;
    }
}
