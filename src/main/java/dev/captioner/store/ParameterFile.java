package dev.captioner.store;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named float32 arrays in one small, versioned, dependency-free binary file: magic, version, count, then
 * per array its name, shape and little-endian values. Independent of ND4J's own serialisation so models
 * survive library upgrades.
 */
public final class ParameterFile {

    private static final int MAGIC = 0x43415057; // "CAPW"
    private static final int VERSION = 1;
    private static final int MAX_RANK = 4;

    private ParameterFile() {
    }

    public static void write(Path file, Map<String, INDArray> arrays) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(arrays.size());
            for (Map.Entry<String, INDArray> entry : arrays.entrySet()) {
                INDArray array = entry.getValue().castTo(DataType.FLOAT).dup('c');
                out.writeUTF(entry.getKey());
                out.writeInt(array.rank());
                for (long dim : array.shape()) {
                    out.writeLong(dim);
                }
                float[] values = array.data().asFloat();
                ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buffer.asFloatBuffer().put(values);
                out.write(buffer.array());
            }
        }
    }

    public static Map<String, INDArray> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a captioner parameter file");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + " has format version " + version + "; this build reads " + VERSION);
            }
            int count = in.readInt();
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int rank = in.readInt();
                if (rank < 1 || rank > MAX_RANK) {
                    throw new IOException("array '" + name + "' has unsupported rank " + rank);
                }
                long[] shape = new long[rank];
                long length = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readLong();
                    length = Math.multiplyExact(length, shape[d]);
                }
                if (shape[0] < 0 || length > Integer.MAX_VALUE / Float.BYTES) {
                    throw new IOException("array '" + name + "' is too large or malformed");
                }
                byte[] bytes = new byte[(int) length * Float.BYTES];
                in.readFully(bytes);
                float[] values = new float[(int) length];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
                arrays.put(name, Nd4j.create(values, shape, 'c'));
            }
            return arrays;
        }
    }
}
