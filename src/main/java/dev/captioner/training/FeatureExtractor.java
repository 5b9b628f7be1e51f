package dev.captioner.training;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;

import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.ImageRejectedException;

/**
 * Turns image files into features: decode, skipping (with the reason) what cannot be read, is missing or is
 * rejected, never fatal (one bad file in 120k must not end a training job); then encode what decoded. The
 * {@code caption} command, the demo builder and the training job's feature step all go through {@link #encode}.
 */
public final class FeatureExtractor {

    /**
     * A file left out, and why ("missing", or the decoder's words); {@code kind} groups reasons for counting
     * (the reason itself, except that every image the decoder refuses is one kind).
     */
    public record Skipped(Path file, String reason, String kind) {
    }

    /** The kind of every file that was read but is not an image the decoder takes. */
    public static final String NOT_A_READABLE_IMAGE = "not a readable image";

    /** One batch's outcome: the files that were encoded, in order, with their features, and those skipped. */
    public record Batch(List<Path> files, float[][] features, List<Skipped> skipped) {
    }

    /** A whole run: one row per file (null where it was skipped). */
    public record Result(float[][] features, int skipped) {
    }

    /** Gets an image file's bytes: as they are, or only where the file may be opened at all (a training job). */
    @FunctionalInterface
    public interface ImageFileReader {
        byte[] read(Path file) throws IOException;
    }

    private final ImageDecoder decoder;
    private final ImageFileReader reader;

    /** Reads files as they are: for folders the user points at (the {@code caption} command, the demo). */
    public FeatureExtractor(ImageDecoder decoder) {
        this(decoder, Files::readAllBytes);
    }

    public FeatureExtractor(ImageDecoder decoder, ImageFileReader reader) {
        this.decoder = decoder;
        this.reader = reader;
    }

    /**
     * Decodes the files and encodes those that decode, in one call of {@code encoding} (a batch through the
     * encoder, or a caller's own way, such as one image at a time while caption requests are waiting).
     */
    public Batch encode(List<Path> files, Function<List<BufferedImage>, float[][]> encoding) {
        List<Path> decodedFiles = new ArrayList<>(files.size());
        List<BufferedImage> images = new ArrayList<>(files.size());
        List<Skipped> skipped = new ArrayList<>();
        for (Path file : files) {
            try {
                images.add(decoder.decode(reader.read(file)));
                decodedFiles.add(file);
            } catch (ImageRejectedException e) {
                skipped.add(new Skipped(file, reason(e), NOT_A_READABLE_IMAGE));
            } catch (IOException e) {
                skipped.add(new Skipped(file, reason(e), reason(e)));
            }
        }
        float[][] features = images.isEmpty() ? new float[0][] : encoding.apply(images);
        return new Batch(decodedFiles, features, skipped);
    }

    /** @param progress told the number of files done after each batch */
    public Result extract(List<Path> files, FeatureEncoder encoder, int batchSize, IntConsumer progress) {
        float[][] features = new float[files.size()][];
        int skipped = 0;
        for (int from = 0; from < files.size(); from += batchSize) {
            int to = Math.min(files.size(), from + batchSize);
            Batch batch = encode(files.subList(from, to), encoder::encode);
            // the batch keeps the files' order, so its rows fill the rows of the files that decoded
            int row = 0;
            for (int i = from; i < to; i++) {
                if (row < batch.files().size() && batch.files().get(row).equals(files.get(i))) {
                    features[i] = batch.features()[row++];
                }
            }
            skipped += batch.skipped().size();
            progress.accept(to);
        }
        return new Result(features, skipped);
    }

    /** In words: a file system exception's message is only the path, and no message may name a class. */
    public static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "missing";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fileSystem) {
            return fileSystem.getReason() == null ? "cannot be read" : "cannot be read (" + fileSystem.getReason() + ")";
        }
        String message = e.getMessage();
        return message == null ? "cannot be read" : message.replace('\n', ' ');
    }
}
