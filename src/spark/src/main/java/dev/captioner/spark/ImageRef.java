package dev.captioner.spark;

import java.io.Serializable;

/**
 * One image a job will read, as the driver listed it: where it is, its name relative to the data root (the feature
 * cache's key, with its size and modification time), and its COCO image id where one is known.
 *
 * @param imageId null when neither a captions file nor the file name gives one
 */
public record ImageRef(String uri, String relativeName, long size, long modifiedMillis, Long imageId)
        implements Serializable {
}
