package dev.captioner.vision;

import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Facts about the loaded ND4J native runtime that decide how fast the encoder runs. */
public final class Dl4jRuntime {

    private static final Logger log = LoggerFactory.getLogger(Dl4jRuntime.class);

    private Dl4jRuntime() {
    }

    /**
     * Loads and initialises ND4J's native backend (libnd4j with oneDNN, OpenBLAS, HDF5's natives: seconds of
     * library loading) on a daemon thread, so a starting service does it while its web context starts rather than
     * after; the first real use of ND4J waits for it through the JVM's class initialisation.
     */
    public static void loadInBackground() {
        Thread loader = new Thread(() -> {
            try {
                Nd4j.create(DataType.FLOAT, 1).close();
            } catch (Throwable e) {
                // the encoder's own first use fails then too, less clearly: say here what went wrong
                log.warn("loading ND4J's native backend failed: {}", e.toString(), e);
            }
        }, "nd4j-load");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * libgomp reads OMP_WAIT_POLICY once, when ND4J's native library loads, so it cannot be set from here;
     * without "passive" its threads busy-wait, and any competing thread (a second request, a training job)
     * slows every ND4J operation down by an order of magnitude.
     */
    public static boolean ompWaitPolicyPassive() {
        return "passive".equalsIgnoreCase(System.getenv("OMP_WAIT_POLICY"));
    }

    /**
     * Whether libnd4j was built with oneDNN (the {@code linux-x86_64-onednn-avx2} classifier the pom selects):
     * its conv2d op is then several times faster than the plain build's.
     */
    public static boolean oneDnnBuild() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
    }

    public static String nativeLibraries() {
        return String.join(",", Loader.getLoadedLibraries().keySet());
    }
}
