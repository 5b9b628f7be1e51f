package dev.captioner.training.synthetic;

import java.awt.image.BufferedImage;
import java.util.List;

/** A scene of several shapes with its rendered image and captions, held in memory only. */
public record SceneExample(MultiObjectScene scene, BufferedImage image, List<String> captions) {
}
