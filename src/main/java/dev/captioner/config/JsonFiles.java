package dev.captioner.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import tools.jackson.core.JacksonException;
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

    /**
     * Reads a file as {@code type}; a file that is not JSON of that shape is an {@link IOException} saying
     * it is not {@code what} (e.g. "a COCO captions file") and why.
     */
    public static <T> T read(Path file, Class<T> type, String what) throws IOException {
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (JacksonException e) {
            throw new IOException(file + " is not " + what + ": " + e.getOriginalMessage(), e);
        }
    }

    /** As {@link #read(Path, Class, String)}, for a stream named {@code name} (a file on another file system). */
    public static <T> T read(InputStream in, String name, Class<T> type, String what) throws IOException {
        try {
            return MAPPER.readValue(in, type);
        } catch (JacksonException e) {
            throw new IOException(name + " is not " + what + ": " + e.getOriginalMessage(), e);
        }
    }
}
