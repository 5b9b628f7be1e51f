package dev.captioner.training.synthetic;

import java.awt.image.BufferedImage;
import java.util.List;

/** A scene with its rendered image and captions, held in memory only. */
public record SyntheticExample(SyntheticScene scene, BufferedImage image, List<String> captions) {
}
