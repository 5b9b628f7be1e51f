package dev.captioner.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import dev.captioner.TestModels;
import dev.captioner.config.CaptionerProperties;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelManifest;
import dev.captioner.store.ModelStore;
import dev.captioner.store.ModelStoreException;
import dev.captioner.vision.EncoderLayer;
import dev.captioner.vision.EncoderProbe;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.FeatureEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class ModelRuntimeTest {

    @TempDir
    Path dir;

    private static CaptionerProperties properties(String weights) {
        return new CaptionerProperties(Path.of("models"), Path.of("data"), weights, null, DataSize.ofMegabytes(10),
                40_000_000, new CaptionerProperties.Generation(3, 16, 20),
                new CaptionerProperties.Training(true, java.time.Duration.ofSeconds(2),
                        DataSize.ofGigabytes(8), 3, CaptionerProperties.Activation.defaults(),
                        java.time.Duration.ofSeconds(2)),
                new CaptionerProperties.Admin("admin", "secret"), new CaptionerProperties.Batching(32, 8,
                java.time.Duration.ofMillis(5), java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(30),
                80_000_000), CaptionerProperties.Weights.defaults(), CaptionerProperties.Uploads.defaults(),
                CaptionerProperties.Memory.defaults(), CaptionerProperties.Models.defaults(),
                CaptionerProperties.Metrics.defaults());
    }

    private static EncoderFactory fakeVgg(float factor) {
        return (weights, layer) -> new TestModels.FakeEncoder("vgg16/" + weights, 12, factor);
    }

    @Test
    void withoutAnActiveModelCaptioningIsUnavailable() {
        ModelRuntime runtime = new ModelRuntime(new ModelStore(dir), fakeVgg(1), properties(""));
        runtime.loadActiveAtStartup();
        assertThat(runtime.current()).isEmpty();
        assertThatThrownBy(runtime::require).isInstanceOf(ModelUnavailableException.class);
    }

    @Test
    void activatesAVerifiedModelAndRecordsIt() {
        ModelStore store = new ModelStore(dir);
        var probe = EncoderProbe.measure(fakeVgg(1).create(EncoderWeights.random(42), EncoderLayer.FC7));
        store.save(TestModels.untrained("m1", "random:42", 12, probe));
        ModelRuntime runtime = new ModelRuntime(store, fakeVgg(1), properties(""));
        runtime.activate("m1");
        assertThat(runtime.require().model().id()).isEqualTo("m1");
        assertThat(runtime.require().encoder().id()).isEqualTo("vgg16/random:42");
        assertThat(store.activeId()).contains("m1");
    }

    @Test
    void refusesAModelWhoseEncoderProducesOtherFeatures() {
        ModelStore store = new ModelStore(dir);
        var probe = EncoderProbe.measure(fakeVgg(1).create(EncoderWeights.random(42), EncoderLayer.FC7));
        store.save(TestModels.untrained("m1", "random:42", 12, probe));
        store.setActive("m1");
        ModelRuntime runtime = new ModelRuntime(store, fakeVgg(1.5f), properties(""));
        assertThatThrownBy(runtime::loadActiveAtStartup)
                .hasMessageContaining("does not produce the features this model was trained on");
        assertThat(runtime.current()).isEmpty();
    }

    @Test
    void theStartupLoadRunsBesideTheContextAndEndsAsALoadOnTheMainThreadWould() throws Exception {
        ModelStore store = new ModelStore(dir);
        var probe = EncoderProbe.measure(fakeVgg(1).create(EncoderWeights.random(42), EncoderLayer.FC7));
        store.save(TestModels.untrained("m1", "random:42", 12, probe));
        store.setActive("m1");
        ModelRuntime runtime = new ModelRuntime(store, fakeVgg(1), properties(""));
        assertThat(new StartupModelLoad(runtime, store).await()).isTrue();
        assertThat(runtime.require().model().id()).isEqualTo("m1");

        // a model the start must refuse: the same exception and message reach the startup runner
        ModelRuntime mismatched = new ModelRuntime(store, fakeVgg(1.5f), properties(""));
        StartupModelLoad refused = new StartupModelLoad(mismatched, store);
        assertThatThrownBy(refused::await).isInstanceOf(RuntimeException.class)
                .hasMessageContaining("does not produce the features this model was trained on");
        assertThat(mismatched.current()).isEmpty();
    }

    @Test
    void refusesAModelTrainedBehindOtherConfiguredWeights() {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("m1", "random:42", 12, null));
        ModelRuntime runtime = new ModelRuntime(store, fakeVgg(1), properties("imagenet"));
        assertThatThrownBy(() -> runtime.activate("m1"))
                .hasMessageContaining("trained behind vgg16/random:42")
                .hasMessageContaining("configured for vgg16/imagenet");
    }

    @Test
    void swappingKeepsTheOldModelForRequestsThatAlreadyHoldIt() {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("m1", "random:42", 12, null));
        store.save(TestModels.untrained("m2", "random:42", 12, null));
        ModelRuntime runtime = new ModelRuntime(store, fakeVgg(1), properties(""));
        ActiveModel held = runtime.activate("m1");
        runtime.activate("m2");
        assertThat(held.model().id()).isEqualTo("m1");
        assertThat(runtime.require().model().id()).isEqualTo("m2");
        assertThat(runtime.require().encoder()).as("same weights share one encoder").isSameAs(held.encoder());
    }

    @Test
    void aReplicaFollowsTheModelAnotherReplicaActivatedInTheSharedStore() {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("m1", "random:42", 12, null));
        store.save(TestModels.untrained("m2", "random:42", 12, null));
        ModelRuntime a = new ModelRuntime(store, fakeVgg(1), properties(""));
        ModelRuntime b = new ModelRuntime(new ModelStore(dir), fakeVgg(1), properties(""));
        a.activate("m1");
        b.loadActiveAtStartup();
        ActiveModel heldByARequestOnB = b.require();

        a.activate("m2");
        b.followStore();

        assertThat(b.require().model().id()).isEqualTo("m2");
        assertThat(heldByARequestOnB.model().id()).as("a request already running keeps its model").isEqualTo("m1");
        assertThat(b.followProblem()).isEmpty();
        assertThat(store.activeId()).contains("m2");
    }

    @Test
    void aReplicaThatCannotLoadTheStoresActiveModelKeepsServingItsOwnAndSaysWhy() throws Exception {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("m1", "random:42", 12, null));
        store.save(TestModels.untrained("broken", "random:42", 12, null));
        store.save(TestModels.untrained("m3", "random:42", 12, null));
        java.nio.file.Files.write(dir.resolve("broken").resolve(ModelStore.DECODER), new byte[] {1, 2, 3});
        ModelRuntime a = new ModelRuntime(store, fakeVgg(1), properties(""));
        ModelRuntime b = new ModelRuntime(new ModelStore(dir), fakeVgg(1), properties(""));
        a.activate("m1");
        b.loadActiveAtStartup();

        store.setActive("broken");  // as a replica whose copy of the files differed would have
        b.followStore();
        b.followStore();

        assertThat(b.require().model().id()).isEqualTo("m1");
        assertThat(b.followProblem()).hasValueSatisfying(problem -> {
            assertThat(problem.wanted()).isEqualTo("broken");
            assertThat(problem.reason()).contains("broken");
        });

        a.activate("m3");
        b.followStore();
        assertThat(b.require().model().id()).isEqualTo("m3");
        assertThat(b.followProblem()).isEmpty();
    }

    @Test
    void followingAStoreWithoutAnActiveRecordKeepsTheServedModel() throws Exception {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("m1", "random:42", 12, null));
        ModelRuntime runtime = new ModelRuntime(store, fakeVgg(1), properties(""));
        runtime.activate("m1");
        java.nio.file.Files.delete(dir.resolve(ModelStore.ACTIVE));

        runtime.followStore();

        assertThat(runtime.require().model().id()).isEqualTo("m1");
        assertThat(runtime.followProblem()).isEmpty();
    }

    /** Two weight files under one id that turn out to differ: refused, naming both files. */
    @Test
    void refusesAModelTrainedBehindAnotherImagenetFileThatGivesOtherFeatures() {
        ModelManifest.WeightsSource keras = new ModelManifest.WeightsSource("keras-h5", "a.h5", "aa".repeat(32), "md5:1", "x");
        ModelManifest.WeightsSource zoo = new ModelManifest.WeightsSource("dl4j-zip", "b.zip", "bb".repeat(32), "adler32:2", "y");
        ModelStore store = new ModelStore(dir);
        var probe = EncoderProbe.measure(new TestModels.FakeEncoder("vgg16/imagenet", 12, 1));
        CaptionModel model = TestModels.untrained("m1", "imagenet", 12, probe);
        ModelManifest m = model.manifest();
        store.save(new CaptionModel(new ModelManifest("m1", m.created(), m.description(),
                ModelManifest.Encoder.vgg16Fc7("imagenet", probe, keras), m.decoder(), m.hyperParameters(), m.metrics(),
                Map.of()), model.vocabulary(), model.decoder()));
        EncoderFactory zooWeights = (weights, layer) -> new SourcedEncoder(new TestModels.FakeEncoder("vgg16/imagenet", 12, 1.5f), zoo);
        ModelRuntime runtime = new ModelRuntime(store, zooWeights, properties(""));
        assertThatThrownBy(() -> runtime.activate("m1"))
                .hasMessageContaining("does not produce the features")
                .hasMessageContaining("trained behind keras-h5 a.h5 (md5:1)")
                .hasMessageContaining("this service has dl4j-zip b.zip (adler32:2)");
    }

    /** A model recorded behind another layer of the same weights. */
    private static CaptionModel atLayer(String id, String weights, String layer) {
        CaptionModel model = TestModels.untrained(id, weights, 12, null);
        ModelManifest m = model.manifest();
        return new CaptionModel(new ModelManifest(id, m.created(), m.description(),
                new ModelManifest.Encoder("vgg16", layer, weights, null, null), m.decoder(), m.hyperParameters(),
                m.metrics(), Map.of()), model.vocabulary(), model.decoder());
    }

    /** Counts the networks it builds; each gives both layers, as Vgg16Fc7Encoder and its grid view do. */
    private static final class CountingTwoLayerFactory implements EncoderFactory {
        final AtomicInteger networksBuilt = new AtomicInteger();

        @Override
        public FeatureEncoder create(EncoderWeights weights, EncoderLayer layer) {
            networksBuilt.incrementAndGet();
            return new TwoLayerNetwork(weights).views.get(layer);
        }
    }

    private static final class TwoLayerNetwork {
        final Map<EncoderLayer, FeatureEncoder> views = new EnumMap<>(EncoderLayer.class);

        TwoLayerNetwork(EncoderWeights weights) {
            for (EncoderLayer layer : EncoderLayer.values()) {
                views.put(layer, new LayerView(this, layer, new TestModels.FakeEncoder(layer.encoderId(weights), 12, 1)));
            }
        }
    }

    private record LayerView(TwoLayerNetwork network, EncoderLayer layer, FeatureEncoder features) implements FeatureEncoder {
        @Override
        public String id() {
            return features.id();
        }

        @Override
        public int featureSize() {
            return features.featureSize();
        }

        @Override
        public float[][] encode(java.util.List<java.awt.image.BufferedImage> images) {
            return features.encode(images);
        }

        @Override
        public Optional<FeatureEncoder> atLayer(EncoderLayer other) {
            return Optional.of(network.views.get(other));
        }
    }

    /** An attention model behind the fc7 model's weights costs no second VGG16, and back again. */
    @Test
    void modelsOfOtherLayersBehindTheSameWeightsShareOneNetwork() {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("fc7-model", "random:42", 12, null));
        store.save(atLayer("grid-model", "random:42", "conv5_3"));
        store.save(atLayer("grid-other-weights", "random:7", "conv5_3"));
        CountingTwoLayerFactory factory = new CountingTwoLayerFactory();
        ModelRuntime runtime = new ModelRuntime(store, factory, properties(""));

        FeatureEncoder fc7 = runtime.activate("fc7-model").encoder();
        assertThat(fc7.id()).isEqualTo("vgg16/random:42");
        FeatureEncoder grid = runtime.activate("grid-model").encoder();
        assertThat(grid.id()).isEqualTo("vgg16-conv5_3/random:42");
        assertThat(grid.atLayer(EncoderLayer.FC7)).containsSame(fc7);
        assertThat(factory.networksBuilt).hasValue(1);

        assertThat(runtime.encoderFor(EncoderWeights.random(42))).as("a job's fc7 behind the grid model").isSameAs(fc7);
        assertThat(runtime.encoderFor(EncoderWeights.random(42), EncoderLayer.CONV5_3)).isSameAs(grid);
        assertThat(runtime.activate("fc7-model").encoder()).isSameAs(fc7);
        assertThat(factory.networksBuilt).hasValue(1);

        assertThat(runtime.activate("grid-other-weights").encoder().id()).isEqualTo("vgg16-conv5_3/random:7");
        assertThat(factory.networksBuilt).as("other weights, another network").hasValue(2);
    }

    /** An encoder with one layer only (like the small fakes) is not served for another layer: one is built. */
    @Test
    void anEncoderWithoutTheLayerAskedForIsNotReused() {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("fc7-model", "random:42", 12, null));
        java.util.List<EncoderLayer> built = new java.util.ArrayList<>();
        EncoderFactory oneLayerFakes = (weights, layer) -> {
            built.add(layer);
            return new TestModels.FakeEncoder(layer.encoderId(weights), 12, 1);
        };
        ModelRuntime runtime = new ModelRuntime(store, oneLayerFakes, properties(""));
        FeatureEncoder fc7 = runtime.activate("fc7-model").encoder();
        assertThat(runtime.encoderFor(EncoderWeights.random(42))).isSameAs(fc7);
        FeatureEncoder grid = runtime.encoderFor(EncoderWeights.random(42), EncoderLayer.CONV5_3);
        assertThat(grid.id()).isEqualTo("vgg16-conv5_3/random:42");
        assertThat(built).containsExactly(EncoderLayer.FC7, EncoderLayer.CONV5_3);
    }

    @Test
    void refusesAModelOfALayerItDoesNotKnow() {
        ModelStore store = new ModelStore(dir);
        store.save(atLayer("m1", "random:42", "pool5"));
        ModelRuntime runtime = new ModelRuntime(store, fakeVgg(1), properties(""));
        assertThatThrownBy(() -> runtime.activate("m1"))
                .isInstanceOf(ModelStoreException.class)
                .hasMessageContaining("model 'm1' cannot be served")
                .hasMessageContaining("encoder layer 'pool5'");
    }

    private record SourcedEncoder(FeatureEncoder inner, ModelManifest.WeightsSource source) implements FeatureEncoder {
        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public int featureSize() {
            return inner.featureSize();
        }

        @Override
        public float[][] encode(java.util.List<java.awt.image.BufferedImage> images) {
            return inner.encode(images);
        }
    }
}
