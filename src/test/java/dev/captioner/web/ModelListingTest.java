package dev.captioner.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.captioner.TestModels;
import dev.captioner.config.CaptionerProperties;
import dev.captioner.config.JsonFiles;
import dev.captioner.serving.ModelRuntime;
import dev.captioner.store.ModelManifest;
import dev.captioner.store.ModelStore;
import dev.captioner.store.ModelStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** One model folder with a corrupt manifest next to good ones, through the admin controller. */
class ModelListingTest {

    @TempDir
    Path dir;

    private ModelAdminController adminWithACorruptModel() throws Exception {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.untrained("m1", "random:42", 12, null));
        store.save(TestModels.untrained("m2", "random:42", 12, null));
        Files.createDirectories(dir.resolve("bad"));
        Files.writeString(dir.resolve("bad").resolve(ModelStore.MANIFEST), "{\"id\": \"bad\", \"created\": ");
        ModelRuntime runtime = new ModelRuntime(store,
                (weights, layer) -> new TestModels.FakeEncoder("vgg16/" + weights, 12, 1), CaptionerProperties.defaults(dir));
        runtime.activate("m1");
        return new ModelAdminController(store, runtime);
    }

    private static JsonNode json(Object value) {
        return JsonFiles.MAPPER.readTree(JsonFiles.MAPPER.writeValueAsString(value));
    }

    @Test
    void theGoodModelsAreListedAndTheBrokenOneShownWithItsReason() throws Exception {
        ModelAdminController admin = adminWithACorruptModel();

        JsonNode listed = json(admin.list());
        assertThat(listed.size()).isEqualTo(3);
        assertThat(listed.get(0).get("id").asString()).isEqualTo("m1");
        assertThat(listed.get(0).get("active").asBoolean()).isTrue();
        assertThat(listed.get(0).has("broken")).isFalse();
        assertThat(listed.get(1).get("id").asString()).isEqualTo("m2");
        assertThat(listed.get(2).get("id").asString()).isEqualTo("bad");
        assertThat(listed.get(2).get("broken").asString()).isEqualTo("manifest.json is not valid JSON");
        assertThat(json(admin.get("bad")).get("broken").asString()).isEqualTo("manifest.json is not valid JSON");
    }

    @Test
    void aCalibratedModelListsHowWellItsConfidenceRanksCaptions() throws Exception {
        ModelStore store = new ModelStore(dir);
        store.save(new ModelStore(Path.of("models")).load("demo-shapes-v1"));
        ModelRuntime runtime = new ModelRuntime(store,
                (weights, layer) -> new TestModels.FakeEncoder("vgg16/" + weights, 4096, 1), CaptionerProperties.defaults(dir));
        ModelManifest.Calibration calibration = store.manifest("demo-shapes-v1").calibration();

        JsonNode listed = json(new ModelAdminController(store, runtime).list()).get(0);
        assertThat(listed.get("confidence").get("spearman").asDouble())
                .isEqualTo(((Number) calibration.heldOut().get("spearman")).doubleValue());
        assertThat(listed.get("confidence").get("heldOutImages").asInt()).isEqualTo(calibration.heldOutImages());
        assertThat(json(adminWithACorruptModel().get("m1")).has("confidence")).as("no calibration").isFalse();
    }

    @Test
    void theBrokenOneCannotBeActivatedButCanBeDeleted() throws Exception {
        ModelAdminController admin = adminWithACorruptModel();

        assertThatThrownBy(() -> admin.activate("bad")).isInstanceOf(ModelStoreException.class)
                .hasMessage("model 'bad': manifest.json is not valid JSON");
        assertThat(admin.delete("bad").getStatusCode().value()).isEqualTo(204);
        assertThat(dir.resolve("bad")).doesNotExist();
        assertThat(json(admin.list()).findValuesAsString("id")).containsExactly("m1", "m2");
    }
}
