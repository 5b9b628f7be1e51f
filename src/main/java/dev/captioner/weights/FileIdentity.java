package dev.captioner.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What tells one version of a file from another without reading it: size, modification time, and on Unix the
 * inode, its device and the status-change time. Writing to a file, replacing it (a rename gives another inode)
 * or setting its modification time back all change at least one of them; the status-change time in particular
 * cannot be set by any user, so an identity equal to the one a file had when it was hashed means the same bytes.
 *
 * @param changed the status-change time (ctime) in nanoseconds, or -1 where the file system has none
 * @param fileKey the inode and device (or the platform's file key), or empty where there is none
 */
public record FileIdentity(long size, long modifiedNanos, long changed, String fileKey) {

    public static FileIdentity of(Path file) throws IOException {
        BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class);
        long changed = -1;
        String key = basic.fileKey() == null ? "" : basic.fileKey().toString();
        try {
            Map<String, Object> unix = Files.readAttributes(file, "unix:ctime,ino,dev");
            changed = nanos((FileTime) unix.get("ctime"));
            key = "dev=" + unix.get("dev") + ",ino=" + unix.get("ino");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // not a Unix file system: size, modification time and the file key are all there is
        }
        return new FileIdentity(basic.size(), nanos(basic.lastModifiedTime()), changed, key);
    }

    /** Whether the file was last written, and its status last changed, before {@code instant}. */
    boolean settledBefore(java.time.Instant instant) {
        long limit = java.util.concurrent.TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
        return modifiedNanos < limit && changed < limit;
    }

    private static long nanos(FileTime time) {
        return time.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
