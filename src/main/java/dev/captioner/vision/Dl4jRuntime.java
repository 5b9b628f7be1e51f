package dev.captioner.vision;

import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;

/**
 * Switches on DL4J's oneDNN layer helpers. 1.0.0-M2.1 disables them unless the system property below is
 * "false", and its availability probe needs {@link org.nd4j.nativeblas.Nd4jCpu}; with both in place the
 * zoo VGG16 runs its convolutions and pooling through oneDNN (measured ~3x faster, same features).
 */
public final class Dl4jRuntime {

    static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private Dl4jRuntime() {
    }

    /** Must run before the first DL4J layer is created; idempotent. */
    public static synchronized void enableOneDnnHelpers() {
        if (System.getProperty(HELPERS_DISABLE_PROPERTY) == null) {
            System.setProperty(HELPERS_DISABLE_PROPERTY, "false");
        }
    }

    /**
     * libgomp reads OMP_WAIT_POLICY once, when ND4J's native library loads, so it cannot be set from here;
     * without "passive" its threads busy-wait, and any competing thread (a second request, a training job)
     * slows every ND4J operation down by an order of magnitude.
     */
    public static boolean ompWaitPolicyPassive() {
        return "passive".equalsIgnoreCase(System.getenv("OMP_WAIT_POLICY"));
    }

    public static boolean oneDnnActive() {
        return BaseMKLDNNHelper.mklDnnEnabled();
    }

    public static String nativeLibraries() {
        return String.join(",", Loader.getLoadedLibraries().keySet());
    }
}
