package dev.captioner.training.job;

import java.util.Locale;

import dev.captioner.vision.Vgg16Fc7Encoder;

/**
 * What a training job holds in memory at its peak, estimated from its request and the size of its dataset,
 * in bytes (float32 = 4 bytes; F = 4096 fc7 features, V vocabulary, E embedding, H hidden, B batch size,
 * T = maxLength + 1 steps, R images with features):
 *
 * <pre>
 *   dataset     = 4 x annotation file bytes          parsed records and tokenised captions
 *   extraction  = featureBatchSize x 56 MB           VGG16's two 224x224x64 activation buffers, convolution
 *                                                    scratch and decoded images, per image of a batch (14 GB
 *                                                    measured at 256); the buffers stay for the whole job
 *               + 553 MB if the job's VGG16 is not the served one (138M weights)
 *   features    = R x F x 4 x 2                      rows read from the cache, and the trainer's native copy
 *   decoder     = 10 x P x 4,  P = V·E + E·4H + H·4H + F·4H + 4H + H·V + V + 2F
 *                                                    weights, gradients, Adam's two moments, the best decoder,
 *                                                    and the copies a checkpoint and a new best make
 *   activations = 1.2 x B x T x (2E + 48H + 2V) x 4  every temporary of one batch (forward and backward) lives
 *                                                    in the training workspace until the batch ends; 1.2 is
 *                                                    its over-allocation
 *   total       = dataset + extraction + features + decoder + activations
 * </pre>
 *
 * The serving encoder, the served model and the JVM itself are the service's and not counted.
 */
record JobMemoryEstimate(long dataset, long extraction, long features, long decoder, long activations) {

    private static final long FLOAT = 4;
    private static final long F = Vgg16Fc7Encoder.FEATURE_SIZE;
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
        long parameters = v * e + e * 4 * h + h * 4 * h + F * 4 * h + 4 * h + h * v + v + 2 * F;
        return new JobMemoryEstimate(
                DATASET_PER_ANNOTATION_BYTE * annotationBytes,
                request.featureBatchSize() * EXTRACTION_PER_IMAGE + (ownEncoder ? ENCODER_WEIGHTS : 0),
                images * F * FLOAT * 2,
                10 * parameters * FLOAT,
                (long) (1.2 * b * t * (2 * e + 48 * h + 2 * v) * FLOAT));
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
