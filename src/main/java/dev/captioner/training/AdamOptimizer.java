package dev.captioner.training;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.captioner.language.Workspaces;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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

    public void update(Map<String, INDArray> parameters, Map<String, INDArray> gradients, double learningRate) {
        steps++;
        double correction1 = 1 - Math.pow(BETA1, steps);
        double correction2 = 1 - Math.pow(BETA2, steps);
        double stepSize = learningRate * Math.sqrt(correction2) / correction1;
        gradients.forEach((name, gradient) -> {
            INDArray parameter = parameters.get(name);
            INDArray m = firstMoment.computeIfAbsent(name, k -> zerosOutsideWorkspace(gradient));
            INDArray v = secondMoment.computeIfAbsent(name, k -> zerosOutsideWorkspace(gradient));
            m.muli(BETA1).addi(gradient.mul(1 - BETA1));
            v.muli(BETA2).addi(gradient.mul(gradient).muli(1 - BETA2));
            if (weightDecay > 0 && decayed.contains(name)) {
                parameter.muli(1 - learningRate * weightDecay);
            }
            INDArray denominator = Transforms.sqrt(v, true).addi(EPSILON);
            parameter.subi(m.div(denominator).muli(stepSize));
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
