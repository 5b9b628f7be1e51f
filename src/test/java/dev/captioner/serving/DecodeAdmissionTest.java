package dev.captioner.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecodeAdmissionTest {

    @Test
    void decodesAreAdmittedByTheirPixelsAndRefusedBeforeDecodingWhenTheyDoNotFit() {
        DecodeAdmission admission = new DecodeAdmission(80_000_000);
        DecodeAdmission.Permit big = admission.admit(40_000_000);
        DecodeAdmission.Permit other = admission.admit(39_000_000);
        assertThatThrownBy(() -> admission.admit(2_000_000))
                .isInstanceOfSatisfying(ServiceBusyException.class,
                        e -> assertThat(e.reason()).isEqualTo(ServiceBusyException.Reason.DECODING));
        big.close();
        admission.admit(2_000_000).close();
        other.close();
        assertThat(admission.available()).isEqualTo(80_000_000);
    }

    @Test
    void tinyImagesCountAtLeastAQuarterMegapixelSoTheirNumberIsBoundedToo() {
        DecodeAdmission admission = new DecodeAdmission(1_000_000);
        for (int i = 0; i < 4; i++) {
            admission.admit(16 * 16);
        }
        assertThatThrownBy(() -> admission.admit(16 * 16)).isInstanceOf(ServiceBusyException.class);
    }
}
