package dev.captioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.captioner.language.CaptionSignals;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelManifest;
import dev.captioner.store.ModelStore;
import dev.captioner.training.synthetic.GeneratedDataset;
import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code calibrate} on the shapes demo: a confidence in its manifest, its parameters as they were. */
class CalibrateCommandTest {

    @TempDir
    Path dir;

    @Test
    void fitsAConfidenceIntoTheManifestAndLeavesTheParametersAlone() throws Exception {
        GeneratedDataset dataset = new ShapesDatasetGenerator(5151).generate(dir.resolve("fresh-shapes"), 24, 1);
        ModelStore store = new ModelStore(dir.resolve("models"));
        store.save(new ModelStore(Path.of("models")).load("demo-shapes-v1"));
        byte[] decoder = Files.readAllBytes(dir.resolve("models/demo-shapes-v1").resolve(ModelStore.DECODER));

        CliRun calibrate = CliRun.of("calibrate", "--model", "demo-shapes-v1", "--dataset", dataset.dir().toString(),
                "--models", dir.resolve("models").toString(), "--data-dir", dir.resolve("data").toString());

        assertThat(calibrate.exit()).as(calibrate.err()).isZero();
        System.out.println(calibrate.out());
        assertThat(calibrate.out()).contains("calibrated demo-shapes-v1 on 24 images").contains("Brier");
        CaptionModel loaded = store.load("demo-shapes-v1");
        ModelManifest.Calibration calibration = loaded.manifest().calibration();
        assertThat(calibration.signals()).isEqualTo(CaptionSignals.NAMES);
        assertThat(calibration.fitImages()).isEqualTo(12);
        assertThat(calibration.heldOutImages()).isEqualTo(12);
        assertThat(calibration.fittedOn()).contains("fresh-shapes");
        assertThat(calibration.heldOut()).containsKeys("brier", "bins");
        assertThat(Files.readAllBytes(dir.resolve("models/demo-shapes-v1").resolve(ModelStore.DECODER)))
                .isEqualTo(decoder);
    }

    @Test
    void aFolderThatIsNoDatasetOrAnUnknownModelIsOneLineAndExit1() throws Exception {
        Files.createDirectories(dir.resolve("models"));
        CliRun noDataset = CliRun.of("calibrate", "--model", "demo-shapes-v1", "--dataset",
                dir.resolve("nothing").toString(), "--models", dir.resolve("models").toString());
        assertThat(noDataset.exit()).isEqualTo(1);
        assertThat(noDataset.err()).contains("is not a COCO-format dataset folder");

        GeneratedDataset dataset = new ShapesDatasetGenerator(5151).generate(dir.resolve("set"), 2, 1);
        CliRun noModel = CliRun.of("calibrate", "--model", "nope", "--dataset", dataset.dir().toString(),
                "--models", dir.resolve("models").toString(), "--data-dir", dir.resolve("data").toString());
        assertThat(noModel.exit()).isEqualTo(1);
        assertThat(noModel.err()).contains("calibrate: ").contains("nope");
    }
}
