package dev.captioner.vision;

import org.bytedeco.javacpp.Loader;
import org.nd4j.nativeblas.NativeOpsHolder;

/** Facts about the loaded ND4J native runtime that decide how fast the encoder runs. */
public final class Dl4jRuntime {

    private Dl4jRuntime() {
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
