package dev.captioner.training;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.captioner.compute.Workspaces;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/** Adam with bias correction and optional decoupled weight decay; updates parameters in place. */
public final class AdamOptimizer {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final Map<String, INDArray> firstMoment = new HashMap<>();
    private final Map<String, INDArray> secondMoment = new HashMap<>();
    private final Set<String> decayed;
    private final double weightDecay;
    private long steps;

    public AdamOptimizer(Set<String> decayedParameters, double weightDecay) {
        this.decayed = decayedParameters;
        this.weightDecay = weightDecay;
    }

    public long steps() {
        return steps;
    }

    public Map<String, INDArray> firstMoments() {
        return firstMoment;
    }

    public Map<String, INDArray> secondMoments() {
        return secondMoment;
    }

    /** Continues from a checkpoint's moments and step count. */
    public void restore(Map<String, INDArray> first, Map<String, INDArray> second, long stepCount) {
        firstMoment.clear();
        secondMoment.clear();
        firstMoment.putAll(first);
        secondMoment.putAll(second);
        steps = stepCount;
    }

    /** Consumes the gradients: each is overwritten with its update. */
    public void update(Map<String, INDArray> parameters, Map<String, INDArray> gradients, double learningRate) {
        steps++;
        gradients.forEach((name, gradient) -> {
            INDArray parameter = parameters.get(name);
            INDArray m = firstMoment.computeIfAbsent(name, k -> zerosOutsideWorkspace(gradient));
            INDArray v = secondMoment.computeIfAbsent(name, k -> zerosOutsideWorkspace(gradient));
            // libnd4j's fused Adam: one pass updates both moments and turns the gradient into the step
            // (with bias correction), instead of a dozen whole-array operations; iterations count from 0
            Nd4j.exec(new AdamUpdater(gradient, v, m, learningRate, BETA1, BETA2, EPSILON, (int) (steps - 1)));
            if (weightDecay > 0 && decayed.contains(name)) {
                parameter.muli(1 - learningRate * weightDecay);
            }
            parameter.subi(gradient);
        });
    }

    /** Moments persist across steps, so they must not live in a per-step workspace. */
    private static INDArray zerosOutsideWorkspace(INDArray like) {
        try (MemoryWorkspace ignored = Workspaces.outside()) {
            return Nd4j.zeros(like.dataType(), like.shape());
        }
    }

    /** Scales all gradients together so their global L2 norm is at most {@code maxNorm}; returns the norm before. */
    public static double clipByGlobalNorm(Map<String, INDArray> gradients, double maxNorm) {
        double squared = 0;
        for (INDArray g : gradients.values()) {
            double norm = g.norm2Number().doubleValue();
            squared += norm * norm;
        }
        double norm = Math.sqrt(squared);
        if (norm > maxNorm) {
            double scale = maxNorm / norm;
            gradients.values().forEach(g -> g.muli(scale));
        }
        return norm;
    }
}
