#!/usr/bin/env python3
"""fc7 of torchvision's VGG16 with the weights of a Keras Applications VGG16 file: an implementation of
VGG16 nobody on this project wrote, to check the Java encoder's reading of the Keras file against.

    torchvision_fc7_from_keras_h5.py WEIGHTS.h5 OUT.f32 IMAGE.png [IMAGE.png ...]

Each image must already be 224x224 RGB (the Java side writes its own resized images losslessly, so both sides
see the same pixels). Preprocessing is Keras' 'caffe' mode, done here on its own: RGB -> BGR, subtract the
ImageNet means 103.939, 116.779, 123.68 (B, G, R), no scaling. Writes float32 little-endian, one 4096-vector
per image in order. Conversions from Keras' conventions to PyTorch's:
  - convolution kernels HWIO -> OIHW;
  - dense kernels (in, out) -> Linear weights (out, in);
  - fc1's inputs: Keras flattens block5_pool channels-last (h, w, c), torchvision flattens channels-first
    (c, h, w), so fc1's rows are permuted from HWC to CHW order.
"""
import sys

import h5py
import numpy as np
import torch
import torchvision
from PIL import Image

CONVOLUTIONS = ["block1_conv1", "block1_conv2", "block2_conv1", "block2_conv2",
                "block3_conv1", "block3_conv2", "block3_conv3", "block4_conv1", "block4_conv2", "block4_conv3",
                "block5_conv1", "block5_conv2", "block5_conv3"]
CAFFE_MEANS_BGR = np.array([103.939, 116.779, 123.68], dtype=np.float32)


def kernel_and_bias(group):
    """The layer's datasets, wherever Keras nested them, told apart by rank."""
    found = []
    group.visititems(lambda name, obj: found.append(np.asarray(obj, dtype=np.float32))
                     if isinstance(obj, h5py.Dataset) else None)
    kernels = [a for a in found if a.ndim > 1]
    biases = [a for a in found if a.ndim == 1]
    assert len(kernels) == 1 and len(biases) == 1, f"{group.name}: {[a.shape for a in found]}"
    return kernels[0], biases[0]


def load(model, path):
    with h5py.File(path, "r") as h5:
        convs = [m for m in model.features if isinstance(m, torch.nn.Conv2d)]
        assert len(convs) == len(CONVOLUTIONS)
        for conv, name in zip(convs, CONVOLUTIONS):
            kernel, bias = kernel_and_bias(h5[name])
            conv.weight.data = torch.from_numpy(np.ascontiguousarray(kernel.transpose(3, 2, 0, 1)))  # HWIO -> OIHW
            conv.bias.data = torch.from_numpy(bias)
        kernel, bias = kernel_and_bias(h5["fc1"])                       # (7*7*512 rows in h, w, c order, 4096)
        kernel = kernel.reshape(7, 7, 512, 4096).transpose(2, 0, 1, 3).reshape(7 * 7 * 512, 4096)  # rows c, h, w
        model.classifier[0].weight.data = torch.from_numpy(np.ascontiguousarray(kernel.T))
        model.classifier[0].bias.data = torch.from_numpy(bias)
        kernel, bias = kernel_and_bias(h5["fc2"])
        model.classifier[3].weight.data = torch.from_numpy(np.ascontiguousarray(kernel.T))
        model.classifier[3].bias.data = torch.from_numpy(bias)


def caffe_input(path):
    rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32)
    assert rgb.shape == (224, 224, 3), f"{path}: {rgb.shape}"
    bgr = rgb[:, :, ::-1] - CAFFE_MEANS_BGR
    return torch.from_numpy(np.ascontiguousarray(bgr.transpose(2, 0, 1)))  # HWC -> CHW


def main():
    weights, out, images = sys.argv[1], sys.argv[2], sys.argv[3:]
    torch.set_num_threads(2)
    model = torchvision.models.vgg16()
    load(model, weights)
    model.eval()
    fc7 = torch.nn.Sequential(*list(model.classifier.children())[:5])  # fc1, ReLU, Dropout, fc2, ReLU
    with torch.no_grad():
        x = torch.stack([caffe_input(p) for p in images])
        pooled = model.avgpool(model.features(x))  # 7x7 already: adaptive pooling leaves it as it is
        features = fc7(torch.flatten(pooled, 1)).numpy().astype("<f4")
    features.tofile(out)


if __name__ == "__main__":
    main()
