package dev.captioner.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.captioner.language.GridShape;
import dev.captioner.store.ModelManifest;
import org.junit.jupiter.api.Test;

class EncoderLayerTest {

    @Test
    void fc7KeepsItsOldIdAndTheGridHasItsOwn() {
        EncoderWeights weights = EncoderWeights.random(42);
        assertThat(EncoderLayer.FC7.encoderId(weights)).isEqualTo("vgg16/random:42");
        assertThat(EncoderLayer.CONV5_3.encoderId(EncoderWeights.imagenet())).isEqualTo("vgg16-conv5_3/imagenet");
    }

    /** The store cannot import vision, so it spells the ids itself: both spellings must agree. */
    @Test
    void manifestsGiveTheSameIdsAsTheEncoders() {
        for (EncoderWeights weights : new EncoderWeights[] {EncoderWeights.imagenet(), EncoderWeights.random(7)}) {
            assertThat(ModelManifest.Encoder.vgg16Fc7(weights.toString(), null, null).id())
                    .isEqualTo(EncoderLayer.FC7.encoderId(weights));
            assertThat(ModelManifest.Encoder.vgg16Conv5(weights.toString(), null, null).id())
                    .isEqualTo(EncoderLayer.CONV5_3.encoderId(weights));
            assertThat(EncoderLayer.fromManifest(ModelManifest.Encoder.vgg16Conv5(weights.toString(), null, null).layer()))
                    .isEqualTo(EncoderLayer.CONV5_3);
        }
        assertThat(new ModelManifest.Encoder("vgg16", null, "random:1", null, null).id()).isEqualTo("vgg16/random:1");
    }

    @Test
    void aManifestWithoutALayerIsFc7AndAnUnknownOneIsRefused() {
        assertThat(EncoderLayer.fromManifest(null)).isEqualTo(EncoderLayer.FC7);
        assertThat(EncoderLayer.fromManifest("fc7")).isEqualTo(EncoderLayer.FC7);
        assertThatThrownBy(() -> EncoderLayer.fromManifest("pool5"))
                .hasMessageContaining("'pool5'").hasMessageContaining("fc7 or conv5_3");
    }

    @Test
    void theGridIsFourteenByFourteenCellsOf512ChannelsRowByRow() {
        GridShape grid = EncoderLayer.CONV5_3.grid().orElseThrow();
        assertThat(grid).isEqualTo(new GridShape(14, 14, 512));
        assertThat(EncoderLayer.CONV5_3.featureSize()).isEqualTo(100_352);
        assertThat(grid.index(0, 1, 0)).isEqualTo(512);
        assertThat(grid.index(1, 0, 3)).isEqualTo(14 * 512 + 3);
        assertThat(grid.index(13, 13, 511)).isEqualTo(100_351);
        assertThat(EncoderLayer.FC7.grid()).isEmpty();
        assertThat(EncoderLayer.FC7.featureSize()).isEqualTo(4096);
    }
}
