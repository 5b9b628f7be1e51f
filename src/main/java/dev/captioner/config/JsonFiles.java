package dev.captioner.config;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one mapper for the JSON files this project reads and writes itself (manifests, checkpoints, registries,
 * datasets, results): indented, so a person can read them. HTTP bodies and job status go through the Spring
 * application's own mapper.
 */
public final class JsonFiles {

    public static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private JsonFiles() {
    }
}
