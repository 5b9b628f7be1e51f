package dev.captioner.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.captioner.TestModels;
import dev.captioner.language.GridShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelStoreTest {

    @TempDir
    Path dir;

    @Test
    void savesLoadsAndListsModels() {
        ModelStore store = new ModelStore(dir);
        CaptionModel model = TestModels.untrained("m1", "random:42", 12, null);
        store.save(model);
        CaptionModel loaded = store.load("m1");
        assertThat(loaded.vocabulary()).isEqualTo(model.vocabulary());
        model.decoder().parameters().forEach((name, array) ->
                assertThat(loaded.decoder().parameters().get(name)).as(name).isEqualTo(array));
        assertThat(loaded.manifest().files()).containsKeys(ModelStore.VOCABULARY, ModelStore.DECODER);
        assertThat(store.list()).extracting(StoredModel::id).containsExactly("m1");
        assertThatThrownBy(() -> store.save(model)).hasMessageContaining("already exists");
    }

    @Test
    void savesAndLoadsAnAttentionModelAndChecksItsKind() throws Exception {
        ModelStore store = new ModelStore(dir);
        CaptionModel model = TestModels.untrainedAttention("att", "random:42", new GridShape(2, 3, 4), null);
        store.save(model);
        CaptionModel loaded = store.load("att");
        assertThat(loaded.hasAttention()).isTrue();
        assertThat(loaded.decoder().grid()).isEqualTo(new GridShape(2, 3, 4));
        assertThat(loaded.manifest().decoder().type()).isEqualTo("attention");
        assertThat(loaded.manifest().decoder().gridRows()).isEqualTo(2);
        model.decoder().parameters().forEach((name, array) ->
                assertThat(loaded.decoder().parameters().get(name)).as(name).isEqualTo(array));

        // a manifest that calls the attention decoder an lstm is refused, not served as one
        CaptionModel mislabelled = new CaptionModel(new ModelManifest("mis", model.manifest().created(), "x",
                model.manifest().encoder(), new ModelManifest.Decoder("lstm", model.vocabulary().size(), 8, 8, 24, 16),
                Map.of(), Map.of(), Map.of()), model.vocabulary(), model.decoder());
        store.save(mislabelled);
        assertThatThrownBy(() -> store.load("mis")).isInstanceOf(ModelStoreException.class)
                .hasMessageContaining("manifest says its decoder is 'lstm'");
        // and an lstm model's manifest without attention fields still reads (models written before them)
        assertThat(TestModels.untrained("old", "random:42", 12, null).manifest().decoder().hasAttention()).isFalse();
    }

    private static ModelManifest.Calibration calibration() {
        return new ModelManifest.Calibration(List.of("meanLogProbability", "length"), new double[] {-0.7, 6.5},
                new double[] {0.3, 1.5}, new double[] {1.25, -0.5}, -0.1, ModelManifest.Calibration.CIDER_D, 1.0,
                "validation images of job 3", 40, 41, Map.of("spearman", 0.42, "brier", 0.21));
    }

    @Test
    void aCalibrationRoundTripsAndAManifestWithoutOneStillLoads() throws Exception {
        ModelStore store = new ModelStore(dir);
        CaptionModel model = TestModels.untrained("cal", "random:42", 12, null);
        store.save(new CaptionModel(model.manifest().withCalibration(calibration()), model.vocabulary(),
                model.decoder()));

        ModelManifest.Calibration loaded = store.load("cal").manifest().calibration();

        ModelManifest.Calibration expected = calibration();
        assertThat(loaded.signals()).isEqualTo(expected.signals());
        assertThat(loaded.means()).containsExactly(expected.means());
        assertThat(loaded.standardDeviations()).containsExactly(expected.standardDeviations());
        assertThat(loaded.weights()).containsExactly(expected.weights());
        assertThat(loaded.bias()).isEqualTo(expected.bias());
        assertThat(loaded.threshold()).isEqualTo(1.0);
        assertThat(loaded.target()).isEqualTo("CIDEr-D");
        assertThat(loaded.fittedOn()).isEqualTo("validation images of job 3");
        assertThat(loaded.fitImages()).isEqualTo(40);
        assertThat(loaded.heldOutImages()).isEqualTo(41);
        assertThat(loaded.heldOut()).containsEntry("spearman", 0.42).containsEntry("brier", 0.21);

        // a manifest written before calibrations existed has no such key at all
        store.save(TestModels.untrained("old", "random:42", 12, null));
        Path manifest = dir.resolve("old").resolve(ModelStore.MANIFEST);
        String json = Files.readString(manifest);
        Files.writeString(manifest, json.replaceAll(",\\s*\"calibration\"\\s*:\\s*null", ""));
        assertThat(Files.readString(manifest)).doesNotContain("calibration");
        assertThat(store.load("old").manifest().calibration()).isNull();
    }

    @Test
    void recalibratingRewritesOnlyTheManifestAndTheChecksumsStillHold() throws Exception {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("m", "random:42", 12, null));
        Path folder = dir.resolve("m");
        byte[] decoder = Files.readAllBytes(folder.resolve(ModelStore.DECODER));
        Map<String, String> checksums = store.manifest("m").files();

        store.recalibrate("m", calibration());

        CaptionModel loaded = store.load("m");
        assertThat(loaded.manifest().calibration().weights()).containsExactly(1.25, -0.5);
        assertThat(loaded.manifest().files()).isEqualTo(checksums);
        assertThat(Files.readAllBytes(folder.resolve(ModelStore.DECODER))).isEqualTo(decoder);
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(ModelStore.MANIFEST, ModelStore.VOCABULARY, ModelStore.DECODER);
        }
    }

    @Test
    void detectsATamperedFile() throws Exception {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("m1", "random:42", 12, null));
        Path vocabulary = dir.resolve("m1").resolve(ModelStore.VOCABULARY);
        Files.writeString(vocabulary, Files.readString(vocabulary).replace("red", "rod"));
        assertThatThrownBy(() -> store.load("m1")).hasMessageContaining("checksum mismatch for vocabulary.txt");
        Files.delete(vocabulary);
        assertThatThrownBy(() -> store.load("m1")).hasMessageContaining("vocabulary.txt is missing");
    }

    @Test
    void recordsTheActiveModelAndProtectsIt() {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("m1", "random:42", 12, null));
        store.save(TestModels.untrained("m2", "random:42", 12, null));
        assertThat(store.activeId()).isEmpty();
        store.setActive("m2");
        assertThat(store.activeId()).contains("m2");
        assertThatThrownBy(() -> store.delete("m2")).hasMessageContaining("active");
        store.delete("m1");
        assertThat(store.exists("m1")).isFalse();
        assertThatThrownBy(() -> store.setActive("m1")).hasMessageContaining("no model");
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("m2", ModelStore.ACTIVE);
    }

    @Test
    void rejectsIdsThatCouldEscapeTheFolder() {
        ModelStore store = new ModelStore(dir);
        assertThatThrownBy(() -> store.load("../etc")).hasMessageContaining("invalid model id");
        assertThatThrownBy(() -> store.load("A/B")).hasMessageContaining("invalid model id");
        assertThat(ModelStore.isValidId("demo-shapes-v1")).isTrue();
    }

    @Test
    void aFailedSaveLeavesNothingBehind() throws Exception {
        ModelStore store = new ModelStore(dir);
        CaptionModel model = TestModels.untrained("m1", "random:42", 12, null);
        // a file where the models folder should be makes every write fail
        Path blocked = Files.writeString(dir.resolve("blocked"), "x");
        ModelStore broken = new ModelStore(blocked);
        assertThatThrownBy(() -> broken.save(model)).isInstanceOf(ModelStorageException.class)
                .hasMessageStartingWith("cannot save model 'm1': not a directory (" + blocked)
                .hasMessageNotContaining("Exception");
        assertThat(dir.toFile().list()).containsExactly("blocked");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void parameterFilesRoundTripAndRejectForeignFiles() throws Exception {
        Path file = dir.resolve("p.bin");
        INDArray matrix = Nd4j.rand(3, 5);
        ParameterFile.write(file, Map.of("m", matrix));
        assertThat(ParameterFile.read(file).get("m")).isEqualTo(matrix);
        Files.writeString(file, "hello world, not parameters");
        assertThatThrownBy(() -> ParameterFile.read(file)).hasMessageContaining("not a captioner parameter file");
    }

    @Test
    void replacingSwapsInTheNewFilesAndLeavesNoDebris() {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("m1", "random:42", 12, null));
        store.setActive("m1");
        CaptionModel retrained = TestModels.untrained("m1", "random:43", 12, null);
        store.replace(retrained);
        assertThat(store.load("m1").manifest().encoder().weights()).isEqualTo("random:43");
        assertThat(store.activeId()).contains("m1");
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("m1", ModelStore.ACTIVE);
    }

    @Test
    void listsFoldersWithABrokenManifestLastWithTheReasonInWords() throws Exception {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("good", "random:42", 12, null));
        Map<String, String> manifests = Map.of(
                "empty", "",
                "truncated", "{\"id\": \"truncated\", ",
                "wrong-shape", "{\"id\": \"wrong-shape\", \"created\": \"yesterday\"}",
                "other-id", Files.readString(dir.resolve("good").resolve(ModelStore.MANIFEST)));
        for (Map.Entry<String, String> manifest : manifests.entrySet()) {
            Files.createDirectories(dir.resolve(manifest.getKey()));
            Files.writeString(dir.resolve(manifest.getKey()).resolve(ModelStore.MANIFEST), manifest.getValue());
        }

        assertThat(store.list()).extracting(StoredModel::id, StoredModel::broken).containsExactly(
                org.assertj.core.groups.Tuple.tuple("good", null),
                org.assertj.core.groups.Tuple.tuple("empty", "manifest.json is empty"),
                org.assertj.core.groups.Tuple.tuple("other-id", "manifest.json names another model, 'good'"),
                org.assertj.core.groups.Tuple.tuple("truncated", "manifest.json is not valid JSON"),
                org.assertj.core.groups.Tuple.tuple("wrong-shape", "manifest.json is JSON but not a model manifest "
                        + "(a field is missing, unknown or of the wrong type)"));
        store.delete("truncated");
        assertThat(store.exists("truncated")).isFalse();
    }

    @Test
    void removesWhatInterruptedSavesAndDeletionsLeftButNotAStagingThatMayStillBeWritten() throws Exception {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("m1", "random:42", 12, null));
        store.setActive("m1");
        Instant startup = Instant.parse("2026-06-01T12:00:00Z");
        FileTime longBefore = FileTime.from(startup.minus(Duration.ofDays(1)));
        Path deletion = Files.createDirectories(dir.resolve(".deleted-m0-1234").resolve("nested"));
        Path oldStaging = Files.createDirectories(dir.resolve(".tmp-m2-5678"));
        Files.writeString(oldStaging.resolve(ModelStore.VOCABULARY), "a\n");
        Path oldMarker = Files.writeString(dir.resolve(".ACTIVE-9abc"), "m1");
        Path freshStaging = Files.createDirectories(dir.resolve(".tmp-m3-def0"));
        Files.setLastModifiedTime(oldStaging, longBefore);
        Files.setLastModifiedTime(oldMarker, longBefore);
        Files.setLastModifiedTime(freshStaging, FileTime.from(startup.plusSeconds(1)));

        assertThat(store.removeLeftovers(startup)).containsExactly(".ACTIVE-9abc", ".deleted-m0-1234", ".tmp-m2-5678");
        assertThat(deletion.getParent()).doesNotExist();
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("m1", ModelStore.ACTIVE, ".tmp-m3-def0");
        assertThat(store.activeId()).contains("m1");
        assertThat(store.removeLeftovers(startup)).isEmpty();
    }
}
