package dev.captioner.training.job;

import java.util.Locale;

import dev.captioner.language.GridShape;
import dev.captioner.vision.EncoderLayer;

/**
 * What a training job holds in memory at its peak, estimated from its request and the size of its dataset,
 * in bytes (float32 = 4 bytes; F features per image: 4096 for fc7, L x C = 196 x 512 = 100,352 for the attention
 * decoder's conv5_3 grid; V vocabulary, E embedding, H hidden, B batch size, T = maxLength + 1 steps, R images
 * with features; for attention A its size):
 *
 * <pre>
 *   dataset     = 4 x annotation file bytes          parsed records and tokenised captions
 *   extraction  = featureBatchSize x 56 MB           VGG16's two 224x224x64 activation buffers, convolution
 *                                                    scratch and decoded images, per image of a batch (14 GB
 *                                                    measured at 256); the buffers stay for the whole job
 *               + 553 MB if the job's VGG16 is not the served one (138M weights)
 *   features    = R x F x 4 x 2                      rows read from the cache, and the trainer's native copy
 *   decoder     = 10 x P x 4,  P = V·E + E·4H + H·4H + F·4H + 4H + H·V + V + 2F        (lstm)
 *                              P = V·E + E·4H + H·4H + C·4H + 4H + H·V + V + C·A + H·A + H·C + 2C·H + 2A + 4C
 *                                                                                     (attention)
 *                                                    weights, gradients, Adam's two moments, the best decoder,
 *                                                    and the copies a checkpoint and a new best make
 *   activations = 1.2 x B x T x (2E + 48H + 2V) x 4  every temporary of one batch (forward and backward) lives
 *                                                    in the training workspace until the batch ends; 1.2 is
 *                                                    its over-allocation
 *               + 6 x B x L x max(A, C) x 4          attention: the batch's standardised grids, their projection,
 *                                                    its gradient, and the fused loops' float copies of them
 *   total       = dataset + extraction + features + decoder + activations
 * </pre>
 *
 * The serving encoder, the served model and the JVM itself are the service's and not counted.
 */
record JobMemoryEstimate(long dataset, long extraction, long features, long decoder, long activations) {

    private static final long FLOAT = 4;
    static final long EXTRACTION_PER_IMAGE = 56L << 20;
    static final long ENCODER_WEIGHTS = 553L << 20;
    private static final long DATASET_PER_ANNOTATION_BYTE = 4;

    /**
     * @param annotationBytes size of the training (and validation) annotation files
     * @param images          images that will have features (rows of the feature matrix)
     * @param vocabularySize  words including the reserved tokens
     * @param ownEncoder      the job needs a VGG16 of its own (other weights than the served model's)
     */
    static JobMemoryEstimate of(TrainingJobRequest request, long annotationBytes, long images, long vocabularySize,
                                boolean ownEncoder) {
        long v = vocabularySize;
        long e = request.embeddingSize();
        long h = request.hiddenSize();
        long b = request.batchSize();
        long t = request.maxLength() + 1L;
        EncoderLayer layer = request.encoderLayer();
        long f = layer.featureSize();
        long parameters;
        long attentionActivations = 0;
        if (request.attends()) {
            GridShape grid = layer.grid().orElseThrow();
            long c = grid.channels();
            long l = grid.positions();
            long a = request.attentionSize();
            parameters = v * e + e * 4 * h + h * 4 * h + c * 4 * h + 4 * h + h * v + v + c * a + h * a + h * c
                    + 2 * c * h + 2 * a + 4 * c;
            attentionActivations = 6 * b * l * Math.max(a, c) * FLOAT;
        } else {
            parameters = v * e + e * 4 * h + h * 4 * h + f * 4 * h + 4 * h + h * v + v + 2 * f;
        }
        return new JobMemoryEstimate(
                DATASET_PER_ANNOTATION_BYTE * annotationBytes,
                request.featureBatchSize() * EXTRACTION_PER_IMAGE + (ownEncoder ? ENCODER_WEIGHTS : 0),
                images * f * FLOAT * 2,
                10 * parameters * FLOAT,
                (long) (1.2 * b * t * (2 * e + 48 * h + 2 * v) * FLOAT) + attentionActivations);
    }

    long total() {
        return dataset + extraction + features + decoder + activations;
    }

    /** "about 14.6 GB (feature extraction 14.0 GB, ...)" — the parts named by the request fields that set them. */
    String describe() {
        return "about " + size(total()) + " (feature extraction " + size(extraction) + " for featureBatchSize, "
                + "decoder weights and optimiser state " + size(decoder) + " for hiddenSize, embeddingSize and the "
                + "vocabulary, training activations " + size(activations) + " for batchSize x maxLength, "
                + "image features " + size(features) + ", dataset " + size(dataset) + ")";
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%d MB", Math.max(1, Math.round(bytes / (double) (1L << 20))));
    }
}
