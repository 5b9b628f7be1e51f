package dev.captioner.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/** The two files the VGG16 ImageNet weights are published as, told apart by their first bytes. */
public enum WeightsFormat {

    // declaration order is the preference order when both are installed: the Keras file is the one in use
    KERAS_H5("vgg16_weights_tf_dim_ordering_tf_kernels.h5", "HDF5"),
    DL4J_ZIP("vgg16_dl4j_inference.zip", "zip");

    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final byte[] ZIP_LOCAL_HEADER = {'P', 'K', 3, 4};
    // the HDF5 superblock may follow a user block of 512, 1024, 2048... bytes
    private static final long FIRST_USER_BLOCK_OFFSET = 512;

    private final String fileName;
    private final String description;

    WeightsFormat(String fileName, String description) {
        this.fileName = fileName;
        this.description = description;
    }

    /** The name the file is installed under, the same name Keras and the DL4J zoo use. */
    public String fileName() {
        return fileName;
    }

    /** "HDF5" or "zip", for messages. */
    public String description() {
        return description;
    }

    public static Optional<WeightsFormat> detect(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] start = read(channel, 0, HDF5_SIGNATURE.length);
            if (startsWith(start, HDF5_SIGNATURE)) {
                return Optional.of(KERAS_H5);
            }
            if (startsWith(start, ZIP_LOCAL_HEADER)) {
                return Optional.of(DL4J_ZIP);
            }
            for (long offset = FIRST_USER_BLOCK_OFFSET; offset < channel.size(); offset *= 2) {
                if (startsWith(read(channel, offset, HDF5_SIGNATURE.length), HDF5_SIGNATURE)) {
                    return Optional.of(KERAS_H5);
                }
            }
            return Optional.empty();
        }
    }

    /** The first bytes in hex, to show what a refused file is (an HTML error page starts 3c 21 or 3c 68). */
    static String leadingBytes(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return HexFormat.ofDelimiter(" ").formatHex(read(channel, 0, HDF5_SIGNATURE.length));
        }
    }

    private static byte[] read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
