package dev.captioner.config;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything an operator can tune, bound from {@code captioner.*} (and so from environment variables such
 * as {@code CAPTIONER_MODELS_DIR}).
 *
 * @param modelsDir      where trained models live, one folder each
 * @param dataDir        root for datasets and caches; request paths may not leave it
 * @param encoderWeights VGG16 weights to serve with ({@code imagenet} or {@code random:<seed>}); empty means
 *                       "whatever the active model was trained with"
 * @param encoderWeightsFile optional local copy of the zoo's VGG16 weight file, for offline machines
 * @param maxImageSize   largest accepted upload
 * @param maxPixels      largest accepted width x height, checked from the image header before decoding
 * @param generation     defaults for caption generation
 */
@ConfigurationProperties("captioner")
public record CaptionerProperties(
        @DefaultValue("./models") Path modelsDir,
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("") String encoderWeights,
        Path encoderWeightsFile,
        @DefaultValue("10MB") DataSize maxImageSize,
        @DefaultValue("40000000") long maxPixels,
        @DefaultValue Generation generation) {

    /**
     * @param beamSize  beams kept per step
     * @param maxLength longest caption in words
     * @param maxBeamSize largest beam a request may ask for
     */
    public record Generation(
            @DefaultValue("3") int beamSize,
            @DefaultValue("16") int maxLength,
            @DefaultValue("20") int maxBeamSize) {
    }
}
