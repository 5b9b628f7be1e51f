package dev.captioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelStore;
import dev.captioner.training.scenes.SceneComparison;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare-scenes} on a handful of scenes (the real run is hundreds; its numbers are in the README): it
 * trains all three decoders behind the real seeded VGG16, prints a table row and a JSON line for each, stores the
 * attention and fc7 models, and a second run reuses the extracted features instead of encoding again.
 */
class CompareScenesCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsTheTableStoresBothModelsAndReusesFeatures() {
        String[] args = {"compare-scenes", "--data=" + dir.resolve("data"), "--train=12", "--validation=4",
                "--held-out=6", "--epochs=1", "--hidden=8", "--store", "--models=" + dir.resolve("models")};
        CliRun run = CliRun.of(args);
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).anyMatch(l -> l.startsWith("| decoder | images | BLEU-4 | CIDEr-D | object F1"));
        assertThat(lines.stream().filter(l -> l.startsWith("| text-only LSTM") || l.startsWith("| fc7 LSTM")
                || l.startsWith("| attention LSTM"))).hasSizeGreaterThanOrEqualTo(3);
        assertThat(lines.stream().filter(l -> l.startsWith("{\"decoder\":"))).hasSize(3);
        assertThat(lines).anyMatch(l -> l.startsWith("{\"decoder\":\"attention") && l.contains("\"pointing\":{"));

        ModelStore store = new ModelStore(dir.resolve("models"));
        CaptionModel attention = store.load(SceneComparison.ATTENTION_DEMO_ID);
        assertThat(attention.hasAttention()).isTrue();
        assertThat(attention.manifest().encoder().id()).isEqualTo("vgg16-conv5_3/random:42");
        CaptionModel fc7 = store.load(SceneComparison.FC7_DEMO_ID);
        assertThat(fc7.hasAttention()).isFalse();
        assertThat(fc7.manifest().encoder().id()).isEqualTo("vgg16/random:42");

        CliRun again = CliRun.of(args);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("reusing fc7 features").contains("reusing conv5_3 features");
    }
}
