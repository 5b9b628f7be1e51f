#!/usr/bin/env python3
"""PyTorch peer for the encoder benchmark: torchvision's VGG16 (random weights) up to fc7, after its ReLU,
the same cut the service uses. Prints one JSON object: seconds per image for one image (median of repeats
after a warm-up) and per image in batches."""
import json
import statistics
import sys
import time

import torch
import torchvision

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 10
batch = int(sys.argv[3]) if len(sys.argv) > 3 else 8
torch.set_num_threads(threads)
torch.manual_seed(42)

vgg = torchvision.models.vgg16()  # random weights: the peer is timed, not compared
# classifier = [fc6, ReLU, Dropout, fc7, ReLU, Dropout, fc8]; keep up to fc7's ReLU
vgg.classifier = torch.nn.Sequential(*list(vgg.classifier.children())[:5])
vgg.eval()


def seconds(n, repeats):
    x = torch.randn(n, 3, 224, 224)
    times = []
    with torch.no_grad():
        vgg(x)  # warm-up
        for _ in range(repeats):
            start = time.perf_counter()
            out = vgg(x)
            times.append(time.perf_counter() - start)
    assert out.shape == (n, 4096)
    return statistics.median(times) / n


single = seconds(1, repeats)
batched = seconds(batch, max(3, repeats // 3))
blas = "openblas" if "openblas" in torch.__config__.show().lower() else "other"
print(json.dumps({"peer": f"pytorch {torch.__version__} torchvision {torchvision.__version__}",
                  "threads": threads, "blas_build": blas,
                  "seconds_per_image": round(single, 4), "batch": batch,
                  "batched_seconds_per_image": round(batched, 4),
                  "batched_images_per_second": round(1 / batched, 3)}))
