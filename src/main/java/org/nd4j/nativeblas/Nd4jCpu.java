package org.nd4j.nativeblas;

/**
 * Bridge for deeplearning4j-nn 1.0.0-M2.1, whose {@code BaseMKLDNNHelper} probes oneDNN through
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN}, a class nd4j-native 1.0.0-M2.1 no longer
 * ships (it moved to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu} and the method was renamed
 * {@code isUseONEDNN}). Without this class the probe fails and every convolution falls back to DL4J's
 * generic im2col path, which is ~3x slower for VGG16 on this hardware.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
