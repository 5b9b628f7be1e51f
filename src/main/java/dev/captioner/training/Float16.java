package dev.captioner.training;

/**
 * IEEE 754 binary16 ("half") conversions, rounding to nearest with ties to even as hardware does (Java 17 has no
 * {@code Float.floatToFloat16}). Halves the size of cached features at about three significant digits.
 */
public final class Float16 {

    /** The largest finite half; anything from 65520 up rounds to infinity. */
    static final float MAX_VALUE = 65504f;

    private Float16() {
    }

    static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int magnitude = bits & 0x7fffffff;
        if (magnitude >= 0x7f800000) {
            // infinity stays infinity; a NaN keeps being a (quiet) NaN
            return (short) (sign | 0x7c00 | (magnitude > 0x7f800000 ? 0x200 : 0));
        }
        if (magnitude >= 0x477ff000) {
            return (short) (sign | 0x7c00);
        }
        if (magnitude < 0x33000000) {
            return (short) sign;  // under half the smallest subnormal half (2^-25): zero
        }
        int exponent = magnitude >>> 23;
        if (exponent < 113) {
            // below 2^-14: a subnormal half, mantissa * 2^-24
            int mantissa = (magnitude & 0x7fffff) | 0x800000;
            int shift = 126 - exponent;
            return (short) (sign | roundedShift(mantissa, shift));
        }
        // rebias the exponent (127 -> 15) and keep the top 10 mantissa bits; a carry from rounding moves into
        // the exponent, which is the right answer too
        int shifted = ((exponent - 112) << 23) | (magnitude & 0x7fffff);
        return (short) (sign | roundedShift(shifted, 13));
    }

    private static int roundedShift(int value, int shift) {
        int result = value >>> shift;
        int remainder = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (remainder > half || (remainder == half && (result & 1) == 1)) {
            result++;
        }
        return result;
    }

    static float toFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign == 0 ? subnormal : -subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** Every value rounded to the nearest float16 and back: the features a float16 feature cache gives back. */
    public static float[][] roundAll(float[][] rows) {
        float[][] rounded = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null) {
                continue;
            }
            rounded[r] = new float[rows[r].length];
            for (int k = 0; k < rows[r].length; k++) {
                rounded[r][k] = toFloat(fromFloat(rows[r][k]));
            }
        }
        return rounded;
    }
}
