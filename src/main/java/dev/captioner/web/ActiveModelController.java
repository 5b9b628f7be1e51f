package dev.captioner.web;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.captioner.serving.ModelRuntime;
import dev.captioner.store.ModelManifest;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/model}: which model answers caption requests now, and what it can do (whether it gives
 * attention maps), so that a client (the caption page) can offer what the model supports. Public, like captioning.
 */
@RestController
class ActiveModelController {

    private final ModelRuntime runtime;

    ActiveModelController(ModelRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * @param decoder   {@code lstm} or {@code attention}
     * @param attention whether {@code attention=true} gives maps with this model
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ActiveModelJson(String id, String encoder, String decoder, boolean attention, String description,
                           Instant created, int vocabularySize, Map<String, Object> metrics) {
    }

    @Operation(summary = "The model serving caption requests now")
    @GetMapping(path = "/api/v1/model", produces = MediaType.APPLICATION_JSON_VALUE)
    ActiveModelJson activeModel() {
        ModelManifest manifest = runtime.require().model().manifest();
        return new ActiveModelJson(manifest.id(), manifest.encoder().id(), manifest.decoder().kind(),
                manifest.decoder().hasAttention(), manifest.description(), manifest.created(),
                manifest.decoder().vocabularySize(), manifest.metrics());
    }
}
