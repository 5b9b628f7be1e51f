package dev.captioner.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.captioner.config.Excerpt;
import dev.captioner.serving.ActiveModel;
import dev.captioner.serving.ModelRuntime;
import dev.captioner.store.ModelManifest;
import dev.captioner.store.ModelStore;
import dev.captioner.store.ModelStoreException;
import dev.captioner.store.StoredModel;
import dev.captioner.weights.WeightsUnavailableException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admin API for stored models: list, activate (atomic swap), delete. */
@RestController
@RequestMapping(path = "/admin/models", produces = MediaType.APPLICATION_JSON_VALUE)
class ModelAdminController {

    /**
     * A stored model as listed: its manifest without the file checksums, and whether it is serving; a folder
     * whose manifest cannot be used has only its id and {@code broken}, what is wrong with it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ModelSummary(String id, boolean active, Instant created, String description, ModelManifest.Encoder encoder,
                        ModelManifest.Decoder decoder, Map<String, Object> hyperParameters, Map<String, Object> metrics,
                        ConfidenceSummary confidence, String broken) {
    }

    /**
     * How well the model's caption confidence ranks captions on the images it was checked on (absent for a model
     * without a calibration): Spearman against their CIDEr-D, beside the raw mean log-probability's, and its Brier score.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ConfidenceSummary(String target, String fittedOn, int heldOutImages, Object spearman,
                             Object meanLogProbabilitySpearman, Object brier) {

        static ConfidenceSummary of(ModelManifest.Calibration calibration) {
            if (calibration == null) {
                return null;
            }
            Map<String, Object> heldOut = calibration.heldOut() == null ? Map.of() : calibration.heldOut();
            return new ConfidenceSummary(calibration.target(), calibration.fittedOn(), calibration.heldOutImages(),
                    heldOut.get("spearman"), heldOut.get("meanLogProbabilitySpearman"), heldOut.get("brier"));
        }
    }

    private final ModelStore store;
    private final ModelRuntime runtime;

    ModelAdminController(ModelStore store, ModelRuntime runtime) {
        this.store = store;
        this.runtime = runtime;
    }

    /** Newest first; folders with a broken manifest last, so one of them does not hide the others. */
    @GetMapping
    List<ModelSummary> list() {
        String active = activeId();
        return store.list().stream().map(m -> summary(m, active)).toList();
    }

    @GetMapping("/{id}")
    ModelSummary get(@PathVariable String id) {
        requireExists(id);
        return summary(store.describe(id), activeId());
    }

    /** Requests in flight finish on the old model; requests after the swap use this one. */
    @PostMapping("/{id}/activate")
    ModelSummary activate(@PathVariable String id) {
        requireModel(id);
        try {
            runtime.activate(id);
        } catch (WeightsUnavailableException e) {
            throw new ModelStoreException("model '" + id + "' cannot be served: " + e.getMessage(), e);
        }
        return summary(store.manifest(id), activeId());
    }

    /** A folder with a broken manifest can be deleted too: its manifest is not read. */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        requireExists(id);
        runtime.delete(id);
        return ResponseEntity.noContent().build();
    }

    private ModelManifest requireModel(String id) {
        requireExists(id);
        return store.manifest(id);
    }

    private void requireExists(String id) {
        if (!store.exists(id)) {
            throw new ModelNotFoundException(id);
        }
    }

    private String activeId() {
        return runtime.current().map(ActiveModel::model).map(m -> m.id())
                .orElseGet(() -> store.activeId().orElse(null));
    }

    private static ModelSummary summary(StoredModel stored, String active) {
        if (stored.isBroken()) {
            return new ModelSummary(stored.id(), stored.id().equals(active), null, null, null, null, null, null, null,
                    stored.broken());
        }
        return summary(stored.manifest(), active);
    }

    private static ModelSummary summary(ModelManifest m, String active) {
        return new ModelSummary(m.id(), m.id().equals(active), m.created(), m.description(), m.encoder(), m.decoder(),
                m.hyperParameters(), m.metrics(), ConfidenceSummary.of(m.calibration()), null);
    }

    static class ModelNotFoundException extends RuntimeException {
        ModelNotFoundException(String id) {
            super("no model '" + Excerpt.of(id) + "'");
        }
    }
}
