package dev.captioner.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.captioner.language.AttentionDecoder;
import dev.captioner.language.AttentionDimensions;
import dev.captioner.language.CaptionDecoder;
import dev.captioner.language.DecoderDimensions;
import dev.captioner.language.LstmDecoder;

/**
 * What a stored model is: written as {@code manifest.json} beside the model's files, and checked on load.
 *
 * @param files       SHA-256 (hex) of every other file in the model's folder
 * @param calibration how to turn a caption's signals into a confidence; absent in models made before there was
 *                    one, or not yet calibrated (they answer without a confidence)
 */
public record ModelManifest(
        String id,
        Instant created,
        String description,
        Encoder encoder,
        Decoder decoder,
        Map<String, Object> hyperParameters,
        Map<String, Object> metrics,
        Map<String, String> files,
        Calibration calibration) {

    public ModelManifest(String id, Instant created, String description, Encoder encoder, Decoder decoder,
                         Map<String, Object> hyperParameters, Map<String, Object> metrics, Map<String, String> files) {
        this(id, created, description, encoder, decoder, hyperParameters, metrics, files, null);
    }

    /**
     * @param layer   {@code fc7} (also when absent: models made before layers were recorded) or {@code conv5_3}
     * @param weights the weights choice, {@code imagenet} or {@code random:<seed>}
     * @param probe   the encoder's features on a fixed probe image, to detect serving behind different weights
     * @param source  which file (and checksum) the weights came from; absent in models made before it was recorded
     */
    public record Encoder(String architecture, String layer, String weights, EncoderProbe probe, WeightsSource source) {

        static final String FC7 = "fc7";
        static final String CONV5_3 = "conv5_3";

        /** VGG16 cut after fc7: one 4096-d vector per image. */
        public static Encoder vgg16Fc7(String weights, EncoderProbe probe, WeightsSource source) {
            return new Encoder("vgg16", FC7, weights, probe, source);
        }

        /** VGG16 cut after conv5_3's ReLU: a 14x14 grid of 512-d vectors per image, for attention. */
        public static Encoder vgg16Conv5(String weights, EncoderProbe probe, WeightsSource source) {
            return new Encoder("vgg16", CONV5_3, weights, probe, source);
        }

        /**
         * {@code vgg16/<weights>} for fc7, as every model, cache and test had it before there were layers;
         * {@code vgg16-conv5_3/<weights>} for another layer.
         */
        public String id() {
            boolean fc7 = layer == null || layer.isBlank() || layer.equals(FC7);
            return (fc7 ? architecture : architecture + "-" + layer) + "/" + weights;
        }
    }

    public record EncoderProbe(double l2Norm, int[] indices, float[] values) {
    }

    /**
     * Where an encoder's weights came from.
     *
     * @param format   {@code keras-h5}, {@code dl4j-zip} or {@code seeded-random}
     * @param file     the weight file's name (none for seeded random weights)
     * @param sha256   the file's SHA-256
     * @param checksum the checksum its source publishes and it was verified against, e.g. {@code md5:6437...}
     * @param origin   where it was installed from: a URL, {@code file:<path>}, or how random weights were made
     */
    public record WeightsSource(String format, String file, String sha256, String checksum, String origin) {

        public static WeightsSource seededRandom(long seed) {
            return new WeightsSource("seeded-random", null, null, null, "DL4J zoo VGG16 initialisation, seed " + seed);
        }

        /** Same bytes, whatever they were called or fetched from. */
        public boolean sameFileAs(WeightsSource other) {
            return other != null && sha256 != null && sha256.equalsIgnoreCase(other.sha256);
        }
    }

    /**
     * @param type          {@code lstm} (one fc7 vector per image) or {@code attention} (soft attention over a grid)
     * @param featureSize   floats per image the decoder reads (4096 for fc7; rows x columns x channels for a grid)
     * @param attentionSize the attention decoder's attention space; null for {@code lstm}
     * @param gridRows      rows of the grid attended over; null for {@code lstm}
     * @param gridColumns   columns of the grid; null for {@code lstm}
     */
    public record Decoder(String type, int vocabularySize, int embeddingSize, int hiddenSize, int featureSize,
                          int maxLength, Integer attentionSize, Integer gridRows, Integer gridColumns) {

        public Decoder(String type, int vocabularySize, int embeddingSize, int hiddenSize, int featureSize,
                       int maxLength) {
            this(type, vocabularySize, embeddingSize, hiddenSize, featureSize, maxLength, null, null, null);
        }

        public static Decoder lstm(DecoderDimensions dims, int maxLength) {
            return new Decoder(CaptionDecoder.LSTM, dims.vocabularySize(), dims.embeddingSize(), dims.hiddenSize(),
                    dims.featureSize(), maxLength);
        }

        /** What a decoder of either kind is, as its manifest records it. */
        public static Decoder of(CaptionDecoder decoder, int maxLength) {
            if (decoder instanceof AttentionDecoder attention) {
                AttentionDimensions dims = attention.dimensions();
                return new Decoder(CaptionDecoder.ATTENTION, dims.vocabularySize(), dims.embeddingSize(),
                        dims.hiddenSize(), dims.featureSize(), maxLength, dims.attentionSize(), dims.gridRows(),
                        dims.gridColumns());
            }
            return lstm(((LstmDecoder) decoder).dimensions(), maxLength);
        }

        /** A manifest written before decoders had kinds says {@code lstm}. */
        public String kind() {
            return type == null ? CaptionDecoder.LSTM : type;
        }

        public boolean hasAttention() {
            return CaptionDecoder.ATTENTION.equals(kind());
        }
    }

    /**
     * A caption's confidence: a logistic regression on its standardised signals, the predicted probability that
     * its CIDEr-D against the image's references is at least {@code threshold}.
     *
     * @param signals            the caption signals it reads, by name, in the order of the other arrays
     * @param fittedOn           which images it was fitted and checked on, in words
     * @param fitImages          images it was fitted on; {@code heldOutImages}: images it was checked on
     * @param heldOut            its figures on the held-out images (Spearman against CIDEr-D, the mean
     *                           log-probability's Spearman, Brier score, predicted against observed per bin)
     */
    public record Calibration(List<String> signals, double[] means, double[] standardDeviations, double[] weights,
                              double bias, String target, double threshold, String fittedOn, int fitImages,
                              int heldOutImages, Map<String, Object> heldOut) {

        /** What {@link #threshold} is compared with. */
        public static final String CIDER_D = "CIDEr-D";
    }

    public ModelManifest withFiles(Map<String, String> checksums) {
        return new ModelManifest(id, created, description, encoder, decoder, hyperParameters, metrics, checksums,
                calibration);
    }

    public ModelManifest withCalibration(Calibration newCalibration) {
        return new ModelManifest(id, created, description, encoder, decoder, hyperParameters, metrics, files,
                newCalibration);
    }
}
