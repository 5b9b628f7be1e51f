package dev.captioner.vision;

import static org.bytedeco.hdf5.global.hdf5.H5F_ACC_RDONLY;
import static org.bytedeco.hdf5.global.hdf5.H5O_TYPE_DATASET;
import static org.bytedeco.hdf5.global.hdf5.H5O_TYPE_GROUP;
import static org.bytedeco.hdf5.global.hdf5.H5T_FLOAT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.captioner.compute.Workspaces;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.PredType;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the Keras Applications VGG16 weight file ({@code vgg16_weights_tf_dim_ordering_tf_kernels.h5}: the
 * original Oxford weights as Keras ships them) through the HDF5 library DL4J's model import uses.
 *
 * <p>The file holds one HDF5 group per layer ({@code block1_conv1} .. {@code block5_conv3}, {@code fc1},
 * {@code fc2}, {@code predictions}), each with a kernel and a bias dataset ({@code block1_conv1_W_1:0} and
 * {@code block1_conv1_b_1:0} in this file; later Keras versions nest them as {@code fc1/kernel:0}, so the
 * datasets are found by walking the group and told apart by rank). Conventions, as Keras defines them for
 * "tf_dim_ordering_tf_kernels": convolution kernels are HWIO (what the fast pass takes as it is), dense kernels
 * (in, out), and {@code fc1} (fc6) reads {@code block5_pool} flattened channels-last, (h, w, c) — the order
 * {@link Vgg16Weights} keeps, so only the dense kernels are turned to [out, in].
 *
 * <p>Why not {@link Hdf5Archive#readDataSet}: it copies every value through {@code putScalar} and a Java
 * array (measured in {@code WeightsLoadBenchmark}); each dataset here is read by HDF5 straight into the
 * array's native buffer, after its shape has been checked against VGG16's, so a file declaring other sizes
 * never makes it allocate them.
 */
final class KerasVgg16File {

    static final String FC6 = "fc1";
    static final String FC7 = "fc2";

    private KerasVgg16File() {
    }

    static Vgg16Weights read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Keras VGG16 weights file " + file + " does not exist");
        }
        // the HDF5 library is not thread-safe; DL4J's own reader serialises on this lock too
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            org.bytedeco.hdf5.Exception.dontPrint();
            H5File h5;
            try {
                h5 = new H5File(file.toString(), H5F_ACC_RDONLY());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("VGG16 weights file " + file + " is not an HDF5 file: " + e.getMessage(), e);
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                // JavaCPP publishes no HDF5 natives for macOS on arm64 (1.12.1-1.5.7)
                throw new IllegalStateException("reading Keras' HDF5 weights needs the HDF5 native library, which this "
                        + "platform's build lacks (" + e.getMessage() + "): install the DL4J zoo's vgg16_dl4j_inference.zip "
                        + "instead (fetch-weights --file or a dl4j-zoo source)", e);
            }
            try (MemoryWorkspace ignored = Workspaces.outside()) {
                List<Vgg16Weights.Convolution> convolutions = new ArrayList<>();
                long inputs = 3;
                for (int i = 0; i < Vgg16Weights.KERAS_CONVOLUTION_NAMES.length; i++) {
                    String name = Vgg16Weights.KERAS_CONVOLUTION_NAMES[i];
                    long outputs = Vgg16Weights.CONVOLUTION_CHANNELS[i];
                    LayerArrays layer = readLayer(h5, file, name, new long[] {3, 3, inputs, outputs});
                    convolutions.add(new Vgg16Weights.Convolution(name, layer.kernel(), layer.bias()));
                    inputs = outputs;
                }
                Vgg16Weights.Dense fc6 = dense(readLayer(h5, file, FC6, new long[] {Vgg16Weights.FC6_INPUTS, Vgg16Weights.FC_SIZE}), FC6);
                Vgg16Weights.Dense fc7 = dense(readLayer(h5, file, FC7, new long[] {Vgg16Weights.FC_SIZE, Vgg16Weights.FC_SIZE}), FC7);
                return new Vgg16Weights(convolutions, fc6, fc7);
            } catch (RuntimeException e) {
                if (e instanceof IllegalArgumentException) {
                    throw e;
                }
                throw new IllegalArgumentException("VGG16 weights file " + file + " could not be read: " + e.getMessage(), e);
            } finally {
                h5.deallocate();
            }
        }
    }

    private record LayerArrays(INDArray kernel, INDArray bias) {
    }

    private record Found(Group parent, String name, long[] dims) {
    }

    /** (in, out) -> [out, in] in one copy; the file's (in, out) array is freed at once (fc6's is 411 MB). */
    private static Vgg16Weights.Dense dense(LayerArrays layer, String name) {
        INDArray byOutput = layer.kernel().transpose().dup('c');
        layer.kernel().close();
        return new Vgg16Weights.Dense(name, byOutput, layer.bias());
    }

    private static LayerArrays readLayer(H5File h5, Path file, String layer, long[] kernelShape) {
        if (!h5.nameExists(layer) || h5.childObjType(layer) != H5O_TYPE_GROUP) {
            throw new IllegalArgumentException("VGG16 weights file " + file + " has no layer '" + layer + "'"
                    + (layer.startsWith("fc") ? " (the '_notop' file lacks fc1 and fc2, which fc7 needs: use "
                    + "vgg16_weights_tf_dim_ordering_tf_kernels.h5)" : ": not Keras' VGG16 weights"));
        }
        List<Group> opened = new ArrayList<>();
        try {
            Group group = h5.openGroup(layer);
            opened.add(group);
            List<Found> datasets = new ArrayList<>();
            collectDatasets(group, datasets, opened);
            Found kernel = single(datasets, kernelShape.length, layer, "kernel", file);
            Found bias = single(datasets, 1, layer, "bias", file);
            requireDims(file, layer, "kernel", kernel.dims(), kernelShape);
            requireDims(file, layer, "bias", bias.dims(), new long[] {kernelShape[kernelShape.length - 1]});
            return new LayerArrays(readFloats(kernel), readFloats(bias));
        } finally {
            for (int i = opened.size() - 1; i >= 0; i--) {
                opened.get(i).deallocate();
            }
        }
    }

    private static void collectDatasets(Group group, List<Found> found, List<Group> opened) {
        long count = group.getNumObjs();
        for (long i = 0; i < count; i++) {
            String name = group.getObjnameByIdx(i).getString();
            int type = group.childObjType(name);
            if (type == H5O_TYPE_GROUP) {
                Group child = group.openGroup(name);
                opened.add(child);
                collectDatasets(child, found, opened);
            } else if (type == H5O_TYPE_DATASET) {
                DataSet dataset = group.openDataSet(name);
                DataSpace space = dataset.getSpace();
                try {
                    long[] dims = new long[space.getSimpleExtentNdims()];
                    space.getSimpleExtentDims(dims);
                    found.add(new Found(group, name, dataset.asAbstractDs().getTypeClass() == H5T_FLOAT ? dims : null));
                } finally {
                    space.deallocate();
                    dataset.deallocate();
                }
            }
        }
    }

    private static Found single(List<Found> datasets, int rank, String layer, String what, Path file) {
        List<Found> matching = datasets.stream().filter(d -> d.dims() != null && d.dims().length == rank).toList();
        if (matching.size() != 1) {
            throw new IllegalArgumentException("VGG16 weights file " + file + ", layer '" + layer + "': expected one "
                    + "floating-point " + what + " dataset of rank " + rank + ", found " + matching.size());
        }
        return matching.get(0);
    }

    private static void requireDims(Path file, String layer, String what, long[] actual, long[] expected) {
        if (!Arrays.equals(actual, expected)) {
            throw new IllegalArgumentException("VGG16 weights file " + file + ", layer '" + layer + "': " + what
                    + " has shape " + Arrays.toString(actual) + ", VGG16 needs " + Arrays.toString(expected));
        }
    }

    /** HDF5 converts whatever float type the file stores to float32 while reading into the array's buffer. */
    private static INDArray readFloats(Found found) {
        INDArray array = Nd4j.create(DataType.FLOAT, found.dims(), 'c');
        DataSet dataset = found.parent().openDataSet(found.name());
        try {
            dataset.read(array.data().pointer(), PredType.NATIVE_FLOAT());
        } finally {
            dataset.deallocate();
        }
        return array;
    }
}
