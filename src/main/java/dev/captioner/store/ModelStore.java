package dev.captioner.store;

import dev.captioner.config.JsonFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.captioner.language.CaptionDecoder;
import dev.captioner.language.Vocabulary;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Models on disk: {@code <modelsDir>/<id>/} holds {@code manifest.json}, {@code vocabulary.txt} and
 * {@code decoder.bin}; {@code <modelsDir>/ACTIVE} names the active model. A model is written into a hidden
 * temporary folder and renamed into place, so a crash never leaves a half-written model visible; loading
 * verifies every file's SHA-256 against the manifest.
 */
public final class ModelStore {

    public static final String MANIFEST = "manifest.json";
    public static final String VOCABULARY = "vocabulary.txt";
    public static final String DECODER = "decoder.bin";
    public static final String ACTIVE = "ACTIVE";
    /** A model id: a folder name that cannot leave the store ('..' is refused besides). */
    public static final String ID_PATTERN = "[a-z0-9][a-z0-9._-]{0,79}";
    private static final Pattern VALID_ID = Pattern.compile(ID_PATTERN);

    private static final JsonMapper JSON = JsonFiles.MAPPER;

    private final Path root;
    private final MarkerWriter markerWriter;

    public ModelStore(Path modelsDir) {
        this(modelsDir, MarkerWriter.ATOMIC);
    }

    public ModelStore(Path modelsDir, MarkerWriter markerWriter) {
        this.root = modelsDir.toAbsolutePath().normalize();
        this.markerWriter = markerWriter;
    }

    public Path root() {
        return root;
    }

    public static boolean isValidId(String id) {
        return id != null && VALID_ID.matcher(id).matches() && !id.contains("..");
    }

    private Path folder(String id) {
        if (!isValidId(id)) {
            throw new ModelStoreException("invalid model id '" + id + "': use lowercase letters, digits, '.', '_', '-'");
        }
        return root.resolve(id);
    }

    public boolean exists(String id) {
        return isValidId(id) && Files.isRegularFile(root.resolve(id).resolve(MANIFEST));
    }

    /** Every model folder: the readable ones newest first, then those whose manifest is broken, by id. */
    public List<StoredModel> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<StoredModel> models = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (isValidId(name) && Files.isRegularFile(dir.resolve(MANIFEST))) {
                    models.add(listed(name, dir.resolve(MANIFEST)));
                }
            }
        } catch (IOException e) {
            throw new ModelStorageException("cannot list models in " + root + ": " + inWords(e), e);
        }
        models.sort(Comparator.comparing(StoredModel::isBroken)
                .thenComparing(m -> m.isBroken() ? null : m.manifest().created(),
                        Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(StoredModel::id));
        return models;
    }

    private static StoredModel listed(String id, Path file) {
        try {
            ModelManifest manifest = readManifest(file);
            if (!id.equals(manifest.id())) {
                return StoredModel.broken(id, MANIFEST + " names another model, '" + manifest.id() + "'");
            }
            return StoredModel.readable(manifest);
        } catch (BrokenManifestException e) {
            return StoredModel.broken(id, e.reason());
        }
    }

    /** One model folder as {@link #list()} shows it; for an id without a model, an exception. */
    public StoredModel describe(String id) {
        Path file = folder(id).resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new ModelStoreException("no model '" + id + "' in " + root);
        }
        return listed(id, file);
    }

    public ModelManifest manifest(String id) {
        Path file = folder(id).resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new ModelStoreException("no model '" + id + "' in " + root);
        }
        return readManifest(file);
    }

    /** Reads and verifies a model: every file listed in the manifest must be present with its checksum. */
    public CaptionModel load(String id) {
        Path dir = folder(id);
        ModelManifest manifest = manifest(id);
        if (!id.equals(manifest.id())) {
            throw new ModelStoreException("model folder '" + id + "' holds a manifest for '" + manifest.id() + "'");
        }
        for (String required : List.of(VOCABULARY, DECODER)) {
            if (manifest.files() == null || !manifest.files().containsKey(required)) {
                throw new ModelStoreException("model '" + id + "': manifest lists no checksum for " + required);
            }
        }
        for (Map.Entry<String, String> file : manifest.files().entrySet()) {
            Path path = dir.resolve(file.getKey()).normalize();
            if (!path.getParent().equals(dir)) {
                throw new ModelStoreException("model '" + id + "': manifest names a file outside its folder");
            }
            String actual;
            try {
                actual = sha256(path);
            } catch (NoSuchFileException e) {
                throw new ModelStoreException("model '" + id + "': file " + file.getKey() + " is missing");
            } catch (IOException e) {
                throw new ModelStoreException("model '" + id + "': cannot read " + file.getKey(), e);
            }
            if (!actual.equalsIgnoreCase(file.getValue())) {
                throw new ModelStoreException("model '" + id + "': checksum mismatch for " + file.getKey()
                        + " (manifest " + file.getValue() + ", file " + actual + "); the model is corrupt or was edited");
            }
        }
        try {
            Vocabulary vocabulary = Vocabulary.read(dir.resolve(VOCABULARY));
            CaptionDecoder decoder = CaptionDecoder.fromParameters(ParameterFile.read(dir.resolve(DECODER)));
            if (decoder.vocabularySize() != vocabulary.size()) {
                throw new ModelStoreException("model '" + id + "': decoder has " + decoder.vocabularySize()
                        + " words, vocabulary " + vocabulary.size());
            }
            String declared = manifest.decoder() == null ? CaptionDecoder.LSTM : manifest.decoder().kind();
            if (!decoder.kind().equals(declared)) {
                throw new ModelStoreException("model '" + id + "': the manifest says its decoder is '" + declared
                        + "', its parameters are an '" + decoder.kind() + "' decoder's");
            }
            return new CaptionModel(manifest, vocabulary, decoder);
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelStoreException("model '" + id + "' cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a model under its id. Files go to a hidden temporary folder first, then the folder is renamed
     * into place in one step; an existing model with the same id is never overwritten.
     */
    public Path save(CaptionModel model) {
        Path target = folder(model.id());
        if (Files.exists(target)) {
            throw new ModelConflictException("model '" + model.id() + "' already exists");
        }
        Path staged = stage(model);
        try {
            AtomicFiles.move(staged, target);
            return target;
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(staged);
            throw new ModelStorageException("cannot save model '" + model.id() + "': " + inWords(e), e);
        }
    }

    /**
     * Writes a model over an existing one with the same id (used to regenerate the demo model). The new
     * files are complete before the old folder is moved aside, so the id always names a whole model.
     */
    public Path replace(CaptionModel model) {
        Path target = folder(model.id());
        if (!Files.exists(target)) {
            return save(model);
        }
        Path staged = stage(model);
        Path old = root.resolve(".deleted-" + model.id() + "-" + UUID.randomUUID());
        try {
            AtomicFiles.move(target, old);
            AtomicFiles.move(staged, target);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(staged);
            throw new ModelStorageException("cannot replace model '" + model.id() + "': " + inWords(e), e);
        }
        AtomicFiles.deleteQuietly(old);
        return target;
    }

    /**
     * Gives a stored model a new confidence calibration: only its manifest is rewritten (aside, then renamed over
     * the old one), its parameters and their checksums stay as they are. A service that has the model loaded
     * keeps the old manifest until it loads the model again.
     */
    public ModelManifest recalibrate(String id, ModelManifest.Calibration calibration) {
        ModelManifest updated = manifest(id).withCalibration(calibration);
        try {
            AtomicFiles.writeString(folder(id).resolve(MANIFEST), JSON.writeValueAsString(updated));
            return updated;
        } catch (IOException e) {
            throw new ModelStorageException("cannot write the calibration of model '" + id + "': " + inWords(e), e);
        } catch (JacksonException e) {
            throw new ModelStorageException("cannot write the calibration of model '" + id + "': its manifest "
                    + "could not be written", e);
        }
    }

    private Path stage(CaptionModel model) {
        Path temp = root.resolve(".tmp-" + model.id() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(temp);
            model.vocabulary().write(temp.resolve(VOCABULARY));
            ParameterFile.write(temp.resolve(DECODER), model.decoder().parameters());
            Map<String, String> checksums = new TreeMap<>();
            checksums.put(VOCABULARY, sha256(temp.resolve(VOCABULARY)));
            checksums.put(DECODER, sha256(temp.resolve(DECODER)));
            Files.writeString(temp.resolve(MANIFEST), JSON.writeValueAsString(model.manifest().withFiles(checksums)));
            return temp;
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(temp);
            throw new ModelStorageException("cannot save model '" + model.id() + "': " + inWords(e), e);
        } catch (JacksonException e) {
            AtomicFiles.deleteQuietly(temp);
            throw new ModelStorageException("cannot save model '" + model.id() + "': its manifest could not be written", e);
        }
    }

    /** A save stages its folder for seconds; one staged longer ago than this was left by a process that died. */
    public static final Duration STAGING_GRACE = Duration.ofHours(1);

    /** At startup: {@link #removeLeftovers(Instant)} with staging older than {@link #STAGING_GRACE}. */
    public List<String> removeLeftovers() {
        return removeLeftovers(Instant.now().minus(STAGING_GRACE));
    }

    /**
     * Removes what interrupted saves, replacements, deletions and ACTIVE writes left behind: {@code .deleted-*}
     * folders always (nothing reads them again), staged {@code .tmp-*} folders and {@code .ACTIVE-*} files only
     * when last modified before {@code stagedBefore}, since another process (a {@code train} command) may be
     * writing one right now.
     *
     * @return the names removed
     */
    public List<String> removeLeftovers(Instant stagedBefore) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, ".{tmp,deleted,ACTIVE}-*")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".deleted-") || lastModified(entry).isBefore(stagedBefore)) {
                    AtomicFiles.deleteQuietly(entry);
                    if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
                        removed.add(name);
                    }
                }
            }
        } catch (IOException e) {
            throw new ModelStorageException("cannot list leftovers in " + root + ": " + inWords(e), e);
        }
        removed.sort(Comparator.naturalOrder());
        return removed;
    }

    private static Instant lastModified(Path entry) throws IOException {
        return Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant();
    }

    public Optional<String> activeId() {
        Path marker = root.resolve(ACTIVE);
        try {
            String id = Files.readString(marker, StandardCharsets.UTF_8).trim();
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ModelStorageException("cannot read " + marker + ": " + inWords(e), e);
        }
    }

    /** When {@code ACTIVE} was last written (by this replica or another sharing the store); empty without one. */
    public Optional<Instant> activeChangedAt() {
        Path marker = root.resolve(ACTIVE);
        try {
            return Optional.of(Files.getLastModifiedTime(marker).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ModelStorageException("cannot read " + marker + ": " + inWords(e), e);
        }
    }

    /** Records which model is active (write-then-rename, so readers see the old or the new id, never half). */
    public void setActive(String id) {
        if (!exists(id)) {
            throw new ModelStoreException("no model '" + id + "' in " + root);
        }
        try {
            markerWriter.write(root.resolve(ACTIVE), id + "\n");
        } catch (IOException e) {
            throw new ModelStorageException("cannot record model '" + id + "' as the active one: " + inWords(e), e);
        }
    }

    /**
     * What the disk said, in words and without exception class names (an AccessDeniedException's message is
     * only the path), naming the file it said it about.
     */
    private static String inWords(IOException e) {
        String what;
        if (e instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            what = "a file or folder is missing";
        } else if (e instanceof FileAlreadyExistsException) {
            what = "something is already in the way";
        } else if (e instanceof FileSystemException fs && fs.getReason() != null) {
            what = fs.getReason().toLowerCase(Locale.ROOT);
        } else {
            what = "the disk refused";
        }
        return e instanceof FileSystemException fs && fs.getFile() != null ? what + " (" + fs.getFile() + ")" : what;
    }

    /** Removes a model; renamed away first so that no reader ever sees it half-deleted. */
    public void delete(String id) {
        Path dir = folder(id);
        if (!exists(id)) {
            throw new ModelStoreException("no model '" + id + "' in " + root);
        }
        if (activeId().filter(id::equals).isPresent()) {
            throw new ModelConflictException("model '" + id + "' is active and cannot be deleted");
        }
        Path trash = root.resolve(".deleted-" + id + "-" + UUID.randomUUID());
        try {
            AtomicFiles.move(dir, trash);
        } catch (IOException e) {
            throw new ModelStorageException("cannot delete model '" + id + "': " + inWords(e), e);
        }
        AtomicFiles.deleteQuietly(trash);
    }

    private static ModelManifest readManifest(Path file) {
        String id = file.getParent().getFileName().toString();
        try {
            if (Files.size(file) == 0) {
                throw new BrokenManifestException(id, MANIFEST + " is empty", null);
            }
            ModelManifest manifest = JSON.readValue(file.toFile(), ModelManifest.class);
            if (manifest == null || manifest.id() == null) {
                throw new BrokenManifestException(id, MANIFEST + " names no model id", null);
            }
            return manifest;
        } catch (StreamReadException e) {
            throw new BrokenManifestException(id, MANIFEST + " is not valid JSON", e);
        } catch (JacksonIOException | IOException e) {
            throw new BrokenManifestException(id, MANIFEST + " cannot be read", e);
        } catch (JacksonException e) {
            throw new BrokenManifestException(id, MANIFEST + " is JSON but not a model manifest (a field is missing, "
                    + "unknown or of the wrong type)", e);
        }
    }

    /** A manifest that cannot be used; the reason is in words, the parser's own message stays in the cause. */
    private static final class BrokenManifestException extends ModelStoreException {

        private final String reason;

        BrokenManifestException(String id, String reason, Throwable cause) {
            super("model '" + id + "': " + reason, cause);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
