package dev.captioner.vision;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

import dev.captioner.compute.Workspaces;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VGG16's weights kept in the network's own layout ({@link Vgg16Weights}: HWIO kernels, [out, in] dense
 * kernels, fc6 over (h, w, c)) as raw little-endian float32, so a start reads 553 MB straight into the arrays
 * instead of converting a Keras file (about 1 s), deserialising the zoo's zip (6-8 s) or initialising a seeded
 * zoo graph (about 2 s). One file per source, named after its key (the source file's SHA-256, or the seed and
 * the DL4J version that initialised it) and {@link #LAYOUT_VERSION}.
 *
 * <p>Layout: magic, layout version, key, the 15 layers' names and shapes, zero padding to 64 bytes, every
 * array's floats in order (kernel, bias; convolutions, fc6, fc7), then a CRC32C of everything before it.
 * A file is used only when its magic, version, key and shapes are the ones expected, its length is exactly
 * what they add up to and its CRC matches: anything else (cut short, a flipped bit, another source's file under
 * this name, an older layout) is deleted and rebuilt from the source. Written aside and renamed, so no reader
 * sees half a file; a crash leaves only a hidden temporary file, removed by a later write once it is old.
 */
public final class PreparedVgg16Weights {

    /** The folder, beside the installed weights, that holds the prepared files. */
    public static final String FOLDER = "prepared";
    /** Bump when the layout of {@link Vgg16Weights} or of this file changes: older files are then rebuilt. */
    static final int LAYOUT_VERSION = 1;

    private static final Logger log = LoggerFactory.getLogger(PreparedVgg16Weights.class);
    private static final byte[] MAGIC = "VGG16F32".getBytes(StandardCharsets.US_ASCII);
    private static final int ALIGNMENT = 64;
    private static final int CHUNK = 8 << 20;  // CRC'd while the chunk just read is still in cache
    private static final int MAX_HEADER = 1 << 16;
    private static final int LAYERS = Vgg16Weights.CONVOLUTION_CHANNELS.length + 2;
    /** A temporary file younger than this may still be written by another process sharing the data dir. */
    private static final Duration LEFTOVER_AGE = Duration.ofHours(1);
    /** The zoo jar's version, from the Maven metadata it carries (its manifest has none). */
    private static final String ZOO_VERSION = zooVersion();

    /** The weights, and whether they had to be converted from the source (a start that wrote the file). */
    public record Loaded(Vgg16Weights weights, boolean converted, Path file) {
    }

    private final Path folder;

    public PreparedVgg16Weights(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** The key of a verified weights file: its SHA-256. */
    public static String sourceKey(String sha256) {
        return "sha256:" + sha256.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The key of a seeded zoo initialisation: the seed and the DL4J version, whose initialisation code and random
     * generator the numbers come from.
     */
    public static String seedKey(long seed) {
        return "random:" + seed + "/dl4j-" + ZOO_VERSION;
    }


    private static String zooVersion() {
        try (var in = org.deeplearning4j.zoo.model.VGG16.class.getResourceAsStream(
                "/META-INF/maven/org.deeplearning4j/deeplearning4j-zoo/pom.properties")) {
            java.util.Properties properties = new java.util.Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Where the file for {@code key} is kept. */
    public Path fileFor(String key) {
        String name = key.replaceAll("[^A-Za-z0-9.-]+", "-");
        return folder.resolve("vgg16-" + name + ".v" + LAYOUT_VERSION + ".f32");
    }

    /**
     * The prepared weights for {@code key} when a usable file is there, else {@code convert}'s, written aside
     * for the next start (a failure to write only costs that start the conversion again).
     */
    public Loaded readOrPrepare(String key, Supplier<Vgg16Weights> convert) {
        Path file = fileFor(key);
        Optional<Vgg16Weights> prepared = read(key);
        if (prepared.isPresent()) {
            return new Loaded(prepared.get(), false, file);
        }
        Vgg16Weights weights = convert.get();
        try {
            write(key, weights);
        } catch (IOException | RuntimeException e) {
            log.warn("could not write the prepared VGG16 weights {} (the next start converts again): {}", file, e.toString());
        }
        return new Loaded(weights, true, file);
    }

    /** The weights in {@code key}'s file, or empty when there is none or it is unusable (then it is deleted). */
    public Optional<Vgg16Weights> read(String key) {
        Path file = fileFor(key);
        if (!Files.isRegularFile(file) || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return Optional.empty();
        }
        List<INDArray> arrays = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             MemoryWorkspace ignored = Workspaces.outside()) {
            CRC32C crc = new CRC32C();
            Header header = Header.read(channel, crc);
            if (!header.key().equals(key)) {
                return unusable(file, arrays, "it holds " + header.key() + ", not " + key);
            }
            long expectedSize = header.length() + header.payloadBytes() + Long.BYTES;
            if (channel.size() != expectedSize) {
                return unusable(file, arrays, channel.size() + " bytes where its header adds up to " + expectedSize
                        + " (cut short or overlong)");
            }
            for (long[] shape : header.shapes()) {
                INDArray array = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
                arrays.add(array);
                readFully(channel, bytesOf(array), crc);
            }
            ByteBuffer trailer = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, trailer, null);
            long recorded = trailer.flip().getLong();
            if (recorded != crc.getValue()) {
                return unusable(file, arrays, "its CRC32C is " + Long.toHexString(crc.getValue()) + ", "
                        + Long.toHexString(recorded) + " was written");
            }
            return Optional.of(assemble(header.names(), arrays));
        } catch (IOException | RuntimeException e) {
            return unusable(file, arrays, e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    /** Writes {@code weights} as {@code key}'s file: aside under a hidden name, then renamed over it. */
    public void write(String key, Vgg16Weights weights) throws IOException {
        Files.createDirectories(folder);
        removeOldLeftovers();
        Path file = fileFor(key);
        Path temp = Files.createTempFile(folder, "." + file.getFileName() + ".", ".tmp");
        try {
            List<String> names = new ArrayList<>();
            List<INDArray> arrays = new ArrayList<>();
            for (Vgg16Weights.Convolution conv : weights.convolutions()) {
                names.add(conv.name());
                arrays.add(conv.kernel());
                arrays.add(conv.bias());
            }
            for (Vgg16Weights.Dense dense : List.of(weights.fc6(), weights.fc7())) {
                names.add(dense.name());
                arrays.add(dense.kernel());
                arrays.add(dense.bias());
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                CRC32C crc = new CRC32C();
                writeFully(channel, new Header(key, names, arrays.stream().map(INDArray::shape).toList(), 0).bytes(), crc);
                for (INDArray array : arrays) {
                    writeFully(channel, bytesOf(array), crc);
                }
                writeFully(channel, ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(crc.getValue()).flip(), null);
            }
            // no fsync: a file the crash left incomplete or unwritten fails its length or CRC check and is rebuilt
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            log.info("prepared VGG16 weights written to {} ({} MB): later starts load them without conversion",
                    file, Files.size(file) >> 20);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private Optional<Vgg16Weights> unusable(Path file, List<INDArray> arrays, String why) {
        arrays.forEach(INDArray::close);
        log.warn("prepared VGG16 weights {} not used ({}): deleted, they are rebuilt from the source", file, why);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", file, e.toString());
        }
        return Optional.empty();
    }

    private static Vgg16Weights assemble(List<String> names, List<INDArray> arrays) {
        List<Vgg16Weights.Convolution> convolutions = new ArrayList<>();
        int convolutionCount = Vgg16Weights.CONVOLUTION_CHANNELS.length;
        for (int i = 0; i < convolutionCount; i++) {
            convolutions.add(new Vgg16Weights.Convolution(names.get(i), arrays.get(2 * i), arrays.get(2 * i + 1)));
        }
        int fc6 = 2 * convolutionCount;
        // the record checks every shape against VGG16's: a file of other sizes is refused here
        return new Vgg16Weights(convolutions,
                new Vgg16Weights.Dense(names.get(convolutionCount), arrays.get(fc6), arrays.get(fc6 + 1)),
                new Vgg16Weights.Dense(names.get(convolutionCount + 1), arrays.get(fc6 + 2), arrays.get(fc6 + 3)));
    }

    /** The array's floats as a byte buffer over its native memory (c-ordered, offset 0: as created here). */
    private static ByteBuffer bytesOf(INDArray array) {
        // a reshape of a copy counts as a view, but covers its whole buffer from the start: that is what matters
        if (array.ordering() != 'c' || array.offset() != 0 || array.data().length() != array.length()
                || !org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(array) || array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("expected a c-ordered float array of its own, got " + array.shapeInfoToString());
        }
        long bytes = array.length() * Float.BYTES;
        return new BytePointer(array.data().pointer()).position(0).capacity(bytes).limit(bytes).asByteBuffer();
    }

    private static void readFully(FileChannel channel, ByteBuffer target, CRC32C crc) throws IOException {
        while (target.hasRemaining()) {
            int from = target.position();
            ByteBuffer chunk = target.duplicate().limit(Math.min(target.limit(), from + CHUNK));
            while (chunk.hasRemaining()) {
                if (channel.read(chunk) < 0) {
                    throw new IOException("ends early, at byte " + channel.position());
                }
            }
            if (crc != null) {
                crc.update(chunk.flip().position(from));
            }
            target.position(chunk.limit());
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer source, CRC32C crc) throws IOException {
        if (crc != null) {
            crc.update(source.duplicate());
        }
        while (source.hasRemaining()) {
            channel.write(source);
        }
    }

    private void removeOldLeftovers() {
        Instant before = Instant.now().minus(LEFTOVER_AGE);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(folder, ".vgg16-*.tmp")) {
            for (Path leftover : leftovers) {
                if (Files.getLastModifiedTime(leftover).toInstant().isBefore(before)) {
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (IOException e) {
            log.debug("could not clean {}: {}", folder, e.toString());
        }
    }

    /** @param length the header's bytes with their padding: where the first array starts */
    private record Header(String key, List<String> names, List<long[]> shapes, long length) {

        long payloadBytes() {
            return shapes.stream().mapToLong(shape -> Arrays.stream(shape).reduce(1, Math::multiplyExact) * Float.BYTES).sum();
        }

        ByteBuffer bytes() {
            ByteBuffer out = ByteBuffer.allocate(MAX_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            out.put(MAGIC).putInt(LAYOUT_VERSION);
            putString(out, key);
            out.putInt(names.size());
            for (int i = 0; i < names.size(); i++) {
                putString(out, names.get(i));
                putShape(out, shapes.get(2 * i));
                putShape(out, shapes.get(2 * i + 1));
            }
            out.putInt(0);  // where the padding begins: the reader checks the header ends here
            while (out.position() % ALIGNMENT != 0) {
                out.put((byte) 0);
            }
            return out.flip();
        }

        static Header read(FileChannel channel, CRC32C crc) throws IOException {
            ByteBuffer in = ByteBuffer.allocate((int) Math.min(MAX_HEADER, channel.size())).order(ByteOrder.LITTLE_ENDIAN);
            while (in.hasRemaining() && channel.read(in) >= 0) {
                // fill
            }
            in.flip();
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a prepared VGG16 weights file");
            }
            int version = in.getInt();
            if (version != LAYOUT_VERSION) {
                throw new IOException("layout version " + version + ", this build reads " + LAYOUT_VERSION);
            }
            String key = getString(in);
            int layers = in.getInt();
            if (layers != LAYERS) {
                throw new IOException(layers + " layers, VGG16 up to fc7 has " + LAYERS);
            }
            List<String> names = new ArrayList<>();
            List<long[]> shapes = new ArrayList<>();
            for (int i = 0; i < layers; i++) {
                names.add(getString(in));
                shapes.add(getShape(in));
                shapes.add(getShape(in));
            }
            if (in.getInt() != 0) {
                throw new IOException("header does not end where it should");
            }
            int length = in.position() + (ALIGNMENT - in.position() % ALIGNMENT) % ALIGNMENT;
            crc.update(in.array(), 0, length);
            channel.position(length);
            return new Header(key, names, shapes, length);
        }

        private static void putString(ByteBuffer out, String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.putInt(bytes.length).put(bytes);
        }

        private static String getString(ByteBuffer in) throws IOException {
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new IOException("header string of " + length + " bytes");
            }
            byte[] bytes = new byte[length];
            in.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private static void putShape(ByteBuffer out, long[] shape) {
            out.putInt(shape.length);
            for (long dimension : shape) {
                out.putLong(dimension);
            }
        }

        private static long[] getShape(ByteBuffer in) throws IOException {
            int rank = in.getInt();
            if (rank < 1 || rank > 4) {
                throw new IOException("array of rank " + rank);
            }
            long[] shape = new long[rank];
            for (int i = 0; i < rank; i++) {
                shape[i] = in.getLong();
                if (shape[i] < 1 || shape[i] > Vgg16Weights.FC6_INPUTS) {
                    throw new IOException("array dimension " + shape[i]);
                }
            }
            return shape;
        }
    }
}
