package dev.captioner.spark;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.captioner.dataset.CocoCaptions;
import dev.captioner.dataset.ImageIds;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The driver's list of images: every image file of a folder or a glob, sorted by path (the order the
 * {@code caption} command takes them in), each with its size and modification time (the feature cache's key) and
 * its image id: from a COCO captions file matched by file name, else the last number in the file name.
 */
final class ImageListing {

    /** An image the listing left out before any task ran, and why. */
    record Skipped(String uri, String reason) {
    }

    /**
     * @param images      what the tasks will read
     * @param skipped     left out here: missing, or without an image id where one is needed
     */
    record Listing(List<ImageRef> images, List<Skipped> skipped) {
    }

    private ImageListing() {
    }

    /**
     * @param images       a folder, or a glob such as {@code hdfs:///photos/2024-*}{@code /*.jpg}
     * @param captions     a COCO captions file (null: none); then only its images are listed, in its folder's order
     * @param dataRoot     what cache keys are relative to (null: the images' folder)
     * @param idsRequired  leave out, as skipped, an image with no id (the caption job: COCO results need one)
     */
    static Listing list(String images, String captions, String dataRoot, boolean idsRequired,
                        Configuration configuration) throws IOException {
        Path imagesPath = new Path(images);
        FileSystem fs = HadoopFiles.of(imagesPath, configuration);
        boolean glob = isGlob(images);
        Path folder = fs.makeQualified(glob ? imagesPath.getParent() : imagesPath);
        String root = rootOf(dataRoot == null ? folder : fs.makeQualified(new Path(dataRoot)));
        List<FileStatus> files = files(fs, imagesPath, glob);
        List<ImageRef> listed = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        if (captions == null) {
            for (FileStatus file : files) {
                Long id = ImageIds.numberIn(file.getPath().getName()).orElse(null);
                if (id == null && idsRequired) {
                    skipped.add(new Skipped(file.getPath().toString(), "no image id (no number in the file name)"));
                } else {
                    listed.add(ref(file, root, id));
                }
            }
            return new Listing(listed, skipped);
        }
        Map<String, Long> ids = idsByFileName(captions, configuration);
        Map<String, FileStatus> byName = new HashMap<>();
        files.forEach(file -> byName.put(relative(folder, file.getPath()), file));
        for (FileStatus file : files) {
            Long id = ids.get(relative(folder, file.getPath()));
            if (id == null) {
                if (idsRequired) {
                    skipped.add(new Skipped(file.getPath().toString(), "no image id for it in " + captions));
                }
            } else {
                listed.add(ref(file, root, id));
            }
        }
        // names in sub-folders (Karpathy-style "train2014/x.jpg") are looked up one by one; what the folder does not
        // hold is counted, as the training job counts it
        for (Map.Entry<String, Long> entry : ids.entrySet()) {
            String name = entry.getKey();
            if (byName.containsKey(name)) {
                continue;
            }
            Path file = new Path(folder, name);
            if (name.contains("/") && !name.startsWith("/") && !List.of(name.split("/")).contains("..")
                    && ImageIds.isImageName(name) && fs.exists(file) && fs.getFileStatus(file).isFile()) {
                listed.add(ref(fs.getFileStatus(file), root, entry.getValue()));
            } else {
                skipped.add(new Skipped(file.toString(), "missing"));
            }
        }
        listed.sort(Comparator.comparing(ImageRef::uri));
        return new Listing(listed, skipped);
    }

    private static boolean isGlob(String path) {
        return path.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private static List<FileStatus> files(FileSystem fs, Path images, boolean glob) throws IOException {
        FileStatus[] found = glob ? fs.globStatus(images) : fs.listStatus(images);
        if (found == null) {
            throw new IOException(images + " matches no files");
        }
        return Arrays.stream(found).filter(FileStatus::isFile).filter(file -> ImageIds.isImageName(file.getPath().getName()))
                .sorted(Comparator.comparing(file -> file.getPath().toString())).toList();
    }

    private static Map<String, Long> idsByFileName(String captions, Configuration configuration) throws IOException {
        Path path = new Path(captions);
        Map<String, Long> ids = new LinkedHashMap<>();
        try (InputStream in = HadoopFiles.of(path, configuration).open(path)) {
            CocoCaptions.read(in, captions).images().forEach(image -> {
                if (image != null && image.fileName() != null) {
                    ids.put(image.fileName(), image.id());
                }
            });
        }
        return ids;
    }

    private static ImageRef ref(FileStatus file, String root, Long id) {
        String uri = file.getPath().toString();
        String path = file.getPath().toUri().getPath();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException(uri + " is not inside the data root " + root
                    + ": cache keys are paths relative to it (--data-root)");
        }
        return new ImageRef(uri, path.substring(root.length()), file.getLen(), file.getModificationTime(), id);
    }

    private static String rootOf(Path root) {
        String path = root.toUri().getPath();
        return path.endsWith("/") ? path : path + "/";
    }

    private static String relative(Path folder, Path file) {
        String prefix = rootOf(folder);
        String path = file.toUri().getPath();
        return path.startsWith(prefix) ? path.substring(prefix.length()) : file.getName();
    }
}
