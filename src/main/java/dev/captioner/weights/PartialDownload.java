package dev.captioner.weights;

import dev.captioner.config.JsonFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A download in progress: {@code .partial/<file name>.part} holds the bytes received so far and a sidecar
 * ({@code .part.json}) says which URL they are a prefix of, the server's validator and the total length, so a
 * later attempt, or a later run, can resume it with a Range request. Local file failures are thrown as
 * {@link UncheckedIOException}: a full disk is no reason to try another server.
 */
final class PartialDownload {

    static final String PARTIAL_DIR = ".partial";
    private static final JsonMapper JSON = JsonFiles.MAPPER;

    private final Path part;
    private final Path sidecar;
    private State state;

    /** What the partial bytes are: {@code validator} is a strong ETag or a Last-Modified date, or null. */
    record State(String url, String validator, long totalLength) {
    }

    PartialDownload(Path installDir, String fileName) {
        Path dir = installDir.resolve(PARTIAL_DIR);
        this.part = dir.resolve(fileName + ".part");
        this.sidecar = dir.resolve(fileName + ".part.json");
    }

    Path file() {
        return part;
    }

    /** How many bytes of {@code url} are already here; anything that is not a known prefix of it is discarded. */
    long resumeOffset(URI url) {
        try {
            state = readState();
            if (!Files.isRegularFile(part) || state == null || !state.url().equals(url.toString())) {
                discard();
                return 0;
            }
            long size = Files.size(part);
            if (state.totalLength() >= 0 && size > state.totalLength()) {
                discard();
                return 0;
            }
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read partial download " + part, e);
        }
    }

    /** The validator and total length recorded with the partial bytes, or null when there are none. */
    State state() {
        return state;
    }

    /** Empties the partial file for a download from byte 0. */
    void restart(URI url, String validator, long totalLength) {
        discard();
        record(new State(url.toString(), validator, totalLength));
        try {
            Files.write(part, new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + part, e);
        }
    }

    /** Records what a resumed response said about the file; the bytes already here stay. */
    void resumed(URI url, String validator, long totalLength) {
        String knownValidator = validator != null ? validator : state == null ? null : state.validator();
        record(new State(url.toString(), knownValidator, totalLength));
    }

    OutputStream append() {
        try {
            return Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + part, e);
        }
    }

    /** Deletes the partial file and its sidecar, and the {@code .partial} folder when nothing else is in it. */
    void discard() {
        state = null;
        try {
            Files.deleteIfExists(part);
            Files.deleteIfExists(sidecar);
            deleteFolderIfEmpty(part.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete partial download " + part, e);
        }
    }

    static void deleteFolderIfEmpty(Path dir) throws IOException {
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // another download's partial file is in it
        }
    }

    private void record(State newState) {
        try {
            Files.createDirectories(sidecar.getParent());
            Files.write(sidecar, JSON.writeValueAsBytes(newState));
            state = newState;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + sidecar, e);
        }
    }

    private State readState() throws IOException {
        if (!Files.isRegularFile(sidecar)) {
            return null;
        }
        try {
            return JSON.readValue(Files.readAllBytes(sidecar), State.class);
        } catch (JacksonException e) {
            return null; // a sidecar cut short by a crash: the bytes cannot be trusted, start again
        }
    }
}
