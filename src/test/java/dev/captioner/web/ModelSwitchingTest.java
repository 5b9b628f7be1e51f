package dev.captioner.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.captioner.TestModels;
import dev.captioner.config.CaptionerProperties;
import dev.captioner.serving.EncoderFactory;
import dev.captioner.serving.ModelRuntime;
import dev.captioner.store.ModelConflictException;
import dev.captioner.store.ModelManifest;
import dev.captioner.store.ModelStorageException;
import dev.captioner.store.ModelStore;
import dev.captioner.store.ModelStoreException;
import dev.captioner.vision.EncoderLayer;
import dev.captioner.vision.EncoderProbe;
import dev.captioner.vision.EncoderWeights;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Activation and deletion through the admin controller against a real store and runtime: whatever the
 * interleaving, the served model, {@code ACTIVE} and the answers agree.
 */
class ModelSwitchingTest {

    private static final int TRIALS = 300;
    private static final EncoderFactory FAKE_VGG = (weights, layer) -> new TestModels.FakeEncoder("vgg16/" + weights, 12, 1);

    @TempDir
    Path dir;

    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static ModelManifest.EncoderProbe probe() {
        return EncoderProbe.measure(FAKE_VGG.create(EncoderWeights.random(42), EncoderLayer.FC7));
    }

    private ModelRuntime runtime(ModelStore store) {
        return new ModelRuntime(store, FAKE_VGG, CaptionerProperties.defaults(dir));
    }

    /** What one request got: null when it succeeded, else what it threw. */
    private Future<RuntimeException> together(CyclicBarrier start, Runnable request) {
        return threads.submit(() -> {
            start.await();
            try {
                request.run();
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
    }

    @Test
    void concurrentActivateAndDeleteOfOneModelAlwaysLeaveServingActiveAndAnswersInAgreement() throws Exception {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("m1", "random:42", 12, probe()));
        ModelRuntime runtime = runtime(store);
        runtime.activate("m1");
        ModelAdminController admin = new ModelAdminController(store, runtime);

        for (int trial = 0; trial < TRIALS; trial++) {
            if (!store.exists("m2")) {
                store.save(TestModels.untrained("m2", "random:42", 12, probe()));
            }
            CyclicBarrier start = new CyclicBarrier(2);
            Future<RuntimeException> activation = together(start, () -> admin.activate("m2"));
            Future<RuntimeException> deletion = together(start, () -> admin.delete("m2"));
            RuntimeException activationError = activation.get();
            RuntimeException deletionError = deletion.get();

            String served = runtime.require().model().id();
            String trialName = "trial " + trial + ": activation " + activationError + ", deletion " + deletionError;
            assertThat(store.activeId()).as(trialName).contains(served);
            if (activationError == null) {
                assertThat(served).as(trialName).isEqualTo("m2");
                assertThat(deletionError).as(trialName).isInstanceOf(ModelConflictException.class);
                assertThat(store.exists("m2")).as(trialName).isTrue();
                admin.activate("m1");
            } else {
                assertThat(served).as(trialName).isEqualTo("m1");
                assertThat(deletionError).as(trialName).isNull();
                assertThat(store.exists("m2")).as(trialName).isFalse();
            }
        }
    }

    @Test
    void anActivationWhoseActiveFileCannotBeWrittenKeepsTheOldModelServing() {
        ModelStore writable = new ModelStore(dir);
        writable.save(TestModels.untrained("m1", "random:42", 12, probe()));
        writable.save(TestModels.untrained("m2", "random:42", 12, probe()));
        writable.setActive("m1");
        ModelStore store = new ModelStore(dir, (target, content) -> {
            throw new AccessDeniedException(target.toString());
        });
        ModelRuntime runtime = runtime(store);
        runtime.loadActiveAtStartup();
        ModelAdminController admin = new ModelAdminController(store, runtime);

        assertThatThrownBy(() -> admin.activate("m2")).isInstanceOf(ModelStorageException.class)
                .hasMessageContaining("cannot record model 'm2' as the active one: permission denied");
        assertThat(runtime.require().model().id()).isEqualTo("m1");
        assertThat(store.activeId()).contains("m1");
    }

    @Test
    void anActivationInAReadOnlyModelsFolderKeepsTheOldModelServing() throws Exception {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("m1", "random:42", 12, probe()));
        store.save(TestModels.untrained("m2", "random:42", 12, probe()));
        store.setActive("m1");
        ModelRuntime runtime = runtime(store);
        runtime.loadActiveAtStartup();
        ModelAdminController admin = new ModelAdminController(store, runtime);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeThat(Files.isWritable(dir))
                    .as("running as root: a read-only folder stays writable (the injected failure above covers it)")
                    .isFalse();
            assertThatThrownBy(() -> admin.activate("m2")).isInstanceOf(ModelStoreException.class);
            assertThat(runtime.require().model().id()).isEqualTo("m1");
            assertThat(store.activeId()).contains("m1");
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
