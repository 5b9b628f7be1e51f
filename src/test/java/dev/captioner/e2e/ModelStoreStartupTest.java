package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import dev.captioner.TestModels;
import dev.captioner.store.ModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real application over a models folder that a crash left untidy: leftovers of interrupted saves and
 * deletions are gone after startup, and a folder with a corrupt manifest is listed as broken and deletable.
 */
class ModelStoreStartupTest {

    @TempDir
    Path root;

    @Test
    void startupRemovesLeftoversAndTheAdminApiListsAndDeletesABrokenModel() throws Exception {
        Path models = root.resolve("models");
        new ModelStore(models).save(TestModels.untrained("good", "random:42", 12, null));
        Files.createDirectories(models.resolve("bad"));
        Files.writeString(models.resolve("bad").resolve(ModelStore.MANIFEST), "{\"id\": \"bad\", \"created\": ");
        Files.createDirectories(models.resolve(".deleted-gone-1234").resolve("nested"));
        Path staged = Files.createDirectories(models.resolve(".tmp-half-5678"));
        Files.setLastModifiedTime(staged, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

        try (RunningService service = RunningService.start(root.resolve("data"), models)) {
            assertThat(models.resolve(".deleted-gone-1234")).doesNotExist();
            assertThat(staged).doesNotExist();

            JsonNode listed = service.admin("GET", "/admin/models", null);
            assertThat(listed.findValuesAsString("id")).containsExactly("good", "bad");
            assertThat(listed.get(0).has("broken")).isFalse();
            assertThat(listed.get(1).get("broken").asString()).isEqualTo("manifest.json is not valid JSON");
            assertThat(service.admin("GET", "/admin/models/bad", null).get("broken").asString())
                    .isEqualTo("manifest.json is not valid JSON");

            var activation = service.send("POST", "/admin/models/bad/activate", null, null, true);
            assertThat(activation.statusCode()).isEqualTo(409);
            assertThat(activation.body()).contains("urn:captioner:problem:model-unusable")
                    .contains("manifest.json is not valid JSON");
            assertThat(service.send("DELETE", "/admin/models/bad", null, null, true).statusCode()).isEqualTo(204);
            assertThat(service.admin("GET", "/admin/models", null).findValuesAsString("id")).containsExactly("good");
        }
    }
}
