package dev.captioner.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/** Reading and writing on any Hadoop file system ({@code file://}, {@code hdfs://}, {@code s3a://}). */
final class HadoopFiles {

    private HadoopFiles() {
    }

    /**
     * A whole file, refused unread when it is larger than {@code maxBytes} (its declared length, then what arrives);
     * the exceptions' messages are the reasons the counts give ("missing", "larger than ...").
     */
    static byte[] readBounded(FileSystem fs, Path file, long maxBytes) throws IOException {
        FileStatus status;
        try {
            status = fs.getFileStatus(file);
        } catch (FileNotFoundException e) {
            throw new IOException("missing", e);
        }
        if (!status.isFile()) {
            throw new IOException("not a regular file");
        }
        if (status.getLen() > maxBytes) {
            throw new IOException("larger than " + maxBytes + " bytes (" + status.getLen() + ")");
        }
        try (InputStream in = fs.open(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new IOException("larger than " + maxBytes + " bytes (it grew while being read)");
            }
            return bytes;
        }
    }

    /**
     * Writes beside the target, then renames it into place, so a reader (or a retried task) sees the whole file or
     * none. Where the file system will not rename over an existing file (HDFS), an existing target is what an
     * earlier attempt of the same task wrote from the same input: it stays, and this copy goes.
     */
    static void writeAside(FileSystem fs, Path target, byte[] bytes) throws IOException {
        writeAside(fs, target, bytes, false);
    }

    /**
     * As {@link #writeAside(FileSystem, Path, byte[])}; {@code replace}: a target already there is replaced (a job's
     * own output, written again by a later run), on HDFS by deleting it just before the rename.
     */
    static void writeAside(FileSystem fs, Path target, byte[] bytes, boolean replace) throws IOException {
        Path temp = new Path(target.getParent(), ".tmp-" + target.getName() + "-" + UUID.randomUUID());
        try (OutputStream out = fs.create(temp, false)) {
            out.write(bytes);
        } catch (IOException e) {
            deleteQuietly(fs, temp);
            throw e;
        }
        if (!fs.rename(temp, target) && replace && fs.exists(target)) {
            fs.delete(target, false);
            if (fs.rename(temp, target)) {
                return;
            }
        }
        if (fs.exists(temp)) {
            boolean written = fs.exists(target);
            deleteQuietly(fs, temp);
            if (!written) {
                throw new IOException("cannot rename " + temp + " to " + target);
            }
        }
    }

    /**
     * The file system of a path; for local files the raw one, without the {@code .crc} file Hadoop's checksummed
     * local file system writes beside every file (a feature cache would hold two files per image).
     */
    static FileSystem of(Path path, Configuration configuration) throws IOException {
        FileSystem fs = path.getFileSystem(configuration);
        return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    }

    static void deleteQuietly(FileSystem fs, Path path) {
        try {
            fs.delete(path, false);
        } catch (IOException ignored) {
            // a leftover .tmp- file is harmless: nothing reads those names
        }
    }

    /**
     * A local path for a file: itself on a local file system, else a copy in this JVM's temporary folder (written
     * aside, then moved), made once by the caller.
     */
    static java.nio.file.Path local(String uri, Configuration configuration) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = of(path, configuration);
        if ("file".equals(fs.getUri().getScheme())) {
            return java.nio.file.Path.of(fs.makeQualified(path).toUri());
        }
        java.nio.file.Path folder = Files.createDirectories(
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "captioner-spark-files"));
        java.nio.file.Path copy = folder.resolve(UUID.randomUUID() + "-" + path.getName());
        java.nio.file.Path temp = folder.resolve(".tmp-" + UUID.randomUUID());
        try (InputStream in = fs.open(path)) {
            Files.copy(in, temp);
        }
        Files.move(temp, copy, StandardCopyOption.ATOMIC_MOVE);
        copy.toFile().deleteOnExit();
        return copy;
    }
}
