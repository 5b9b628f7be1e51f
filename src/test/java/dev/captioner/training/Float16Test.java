package dev.captioner.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class Float16Test {

    @Test
    void everyHalfComesBackAsItself() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float value = Float16.toFloat((short) bits);
            if (Float.isNaN(value)) {
                assertThat(Float.isNaN(Float16.toFloat(Float16.fromFloat(value)))).as("NaN %04x", bits).isTrue();
            } else {
                assertThat(Float16.fromFloat(value) & 0xffff).as("half %04x (%s)", bits, value).isEqualTo(bits);
            }
        }
    }

    /** The nearest half, ties to the even one: checked against both neighbours of the result. */
    @Test
    void roundsToTheNearestHalfTiesToEven() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 300_000; i++) {
            float value = (float) (random.nextDouble(-1, 1) * Math.pow(2, random.nextInt(-26, 16)));
            short half = Float16.fromFloat(value);
            double error = Math.abs(Float16.toFloat(half) - (double) value);
            for (int neighbour : new int[] {(half & 0xffff) - 1, (half & 0xffff) + 1}) {
                float other = Float16.toFloat((short) neighbour);
                if (Float.isFinite(other) && Math.signum(other) * Math.signum(value) >= 0) {
                    double otherError = Math.abs(other - (double) value);
                    assertThat(error).as("%s -> %s, neighbour %s", value, Float16.toFloat(half), other)
                            .isLessThanOrEqualTo(otherError);
                    if (error == otherError) {
                        assertThat(half & 1).as("a tie goes to the even half: %s", value).isZero();
                    }
                }
            }
        }
    }

    @Test
    void knownValues() {
        assertThat(Float16.fromFloat(1f)).isEqualTo((short) 0x3c00);
        assertThat(Float16.fromFloat(-2f)).isEqualTo((short) 0xc000);
        assertThat(Float16.fromFloat(65504f)).isEqualTo((short) 0x7bff);
        assertThat(Float16.fromFloat(65519.99f)).as("just under the halfway to infinity").isEqualTo((short) 0x7bff);
        assertThat(Float16.fromFloat(65520f)).isEqualTo((short) 0x7c00);
        assertThat(Float16.fromFloat(0x1p-24f)).as("smallest subnormal").isEqualTo((short) 0x0001);
        assertThat(Float16.fromFloat(0x1p-25f)).as("half of it, a tie, to even zero").isEqualTo((short) 0);
        assertThat(Float16.fromFloat(0x1.8p-25f)).isEqualTo((short) 0x0001);
        assertThat(Float16.fromFloat(0x1.ffcp-15f)).as("rounds up into the smallest normal").isEqualTo((short) 0x0400);
        assertThat(Float16.fromFloat(-0f)).isEqualTo((short) 0x8000);
        assertThat(Float16.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xfc00);
        assertThat(Float16.fromFloat(1f + 0x1p-11f)).as("halfway between 1 and the next half: to even").isEqualTo((short) 0x3c00);
        assertThat(Float16.fromFloat(1f + 0x1.8p-10f)).as("halfway, odd below: up").isEqualTo((short) 0x3c02);
        assertThat(Float16.toFloat((short) 0x3555)).isEqualTo(0.33325195f);
    }
}
