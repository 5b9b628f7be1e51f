package dev.captioner.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Central-difference check of analytic gradients, in double precision, on a spread of each array's entries. */
final class GradientCheck {

    private static final double EPSILON = 1e-6;
    static final double TOLERANCE = 1e-5;

    private GradientCheck() {
    }

    /**
     * @param objective recomputed after each parameter nudge
     * @return one line per entry whose relative error exceeds the tolerance (empty when all agree)
     */
    static List<String> mismatches(Map<String, INDArray> parameters, Map<String, INDArray> analytic,
                                   List<String> names, DoubleSupplier objective, int entriesPerArray) {
        List<String> wrong = new ArrayList<>();
        for (String name : names) {
            INDArray parameter = parameters.get(name);
            INDArray gradient = analytic.get(name);
            if (gradient == null || !java.util.Arrays.equals(gradient.shape(), parameter.shape())) {
                wrong.add(name + ": gradient missing or of the wrong shape");
                continue;
            }
            long stride = Math.max(1, parameter.length() / entriesPerArray);
            for (long i = 0; i < parameter.length(); i += stride) {
                double original = parameter.getDouble(i);
                parameter.putScalar(i, original + EPSILON);
                double plus = objective.getAsDouble();
                parameter.putScalar(i, original - EPSILON);
                double minus = objective.getAsDouble();
                parameter.putScalar(i, original);
                double numeric = (plus - minus) / (2 * EPSILON);
                double exact = gradient.getDouble(i);
                double scale = Math.max(1e-4, Math.abs(numeric) + Math.abs(exact));
                if (Math.abs(numeric - exact) / scale > TOLERANCE) {
                    wrong.add(String.format("%s[%d]: numeric %.8g, analytic %.8g", name, i, numeric, exact));
                }
            }
        }
        return wrong;
    }
}
