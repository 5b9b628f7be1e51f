package dev.captioner.vision;

import java.util.Arrays;
import java.util.Optional;

import dev.captioner.language.GridShape;

/**
 * Where in VGG16 an encoder takes its features: fc7 (one 4096-d vector per image, what every model before the
 * attention decoder was trained on) or conv5_3 after its ReLU, before pool5 (a 14x14 grid of 512-d vectors, each
 * cell covering the same fraction of the image, for a decoder that attends over places).
 */
public enum EncoderLayer {

    FC7("fc7", "vgg16", null),
    /** Its features flattened row-major from NHWC: feature index {@code (row * 14 + column) * 512 + channel}. */
    CONV5_3("conv5_3", "vgg16-conv5_3", new GridShape(14, 14, 512));

    private final String manifestName;
    private final String idPrefix;
    private final GridShape grid;

    EncoderLayer(String manifestName, String idPrefix, GridShape grid) {
        this.manifestName = manifestName;
        this.idPrefix = idPrefix;
        this.grid = grid;
    }

    /** How model manifests name the layer. */
    public String manifestName() {
        return manifestName;
    }

    /** fc7 keeps the id it always had ({@code vgg16/<weights>}), so existing models and caches stay valid. */
    public String encoderId(EncoderWeights weights) {
        return idPrefix + "/" + weights;
    }

    public int featureSize() {
        return grid == null ? Vgg16Fc7Encoder.FEATURE_SIZE : grid.featureSize();
    }

    /** The grid's shape; empty for fc7, which is one vector. */
    public Optional<GridShape> grid() {
        return Optional.ofNullable(grid);
    }

    /** A manifest's layer; a manifest without one is from before layers were recorded, hence fc7. */
    public static EncoderLayer fromManifest(String name) {
        if (name == null || name.isBlank()) {
            return FC7;
        }
        return Arrays.stream(values()).filter(layer -> layer.manifestName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("encoder layer '" + name + "' is not one this service has: "
                        + "use " + String.join(" or ", Arrays.stream(values()).map(EncoderLayer::manifestName).toList())));
    }
}
