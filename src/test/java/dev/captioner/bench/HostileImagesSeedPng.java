package dev.captioner.bench;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Writes the PNG that bench/redteam turns into its WebP seeds: {@code java ... HostileImagesSeedPng FILE SEED}. */
public final class HostileImagesSeedPng {

    private HostileImagesSeedPng() {
    }

    public static void main(String[] args) throws Exception {
        BufferedImage picture = HostileImages.picture(160, 120, BufferedImage.TYPE_INT_RGB, new Random(Long.parseLong(args[1])));
        Files.write(Path.of(args[0]), HostileImages.encode(picture, "png"));
    }
}
