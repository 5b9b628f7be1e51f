package dev.captioner.vision;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

import dev.captioner.store.ModelManifest;

/**
 * The conv5_3 grid (after its ReLU, before pool5) of a {@link Vgg16Fc7Encoder}'s network: 14x14 cells of 512
 * channels for the whole image resized to 224x224, flattened as {@link EncoderLayer.Grid#index}. A view, not a
 * second VGG16: it runs the fc7 encoder's network under the same lock.
 */
final class Vgg16Conv5GridEncoder implements FeatureEncoder {

    private final Vgg16Fc7Encoder fc7;
    private final Vgg16Network network;

    Vgg16Conv5GridEncoder(Vgg16Fc7Encoder fc7, Vgg16Network network) {
        this.fc7 = fc7;
        this.network = network;
    }

    @Override
    public String id() {
        return EncoderLayer.CONV5_3.encoderId(fc7.weights());
    }

    @Override
    public EncoderLayer layer() {
        return EncoderLayer.CONV5_3;
    }

    @Override
    public Optional<FeatureEncoder> atLayer(EncoderLayer layer) {
        return fc7.atLayer(layer);
    }

    @Override
    public int featureSize() {
        return EncoderLayer.CONV5_3.featureSize();
    }

    @Override
    public ModelManifest.WeightsSource source() {
        return fc7.source();
    }

    @Override
    public void releaseWorkingMemory() {
        fc7.releaseWorkingMemory();
    }

    @Override
    public float[][] encode(List<BufferedImage> images) {
        return Vgg16Fc7Encoder.run(network, images, network::conv5Grid);
    }
}
