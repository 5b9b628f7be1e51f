package dev.captioner.training.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import dev.captioner.config.CaptionerProperties;
import org.junit.jupiter.api.Test;

class ActivationGateTest {

    private static final Map<String, Double> ZERO = Map.of("Bleu_1", 0.0, "Bleu_2", 0.0, "Bleu_3", 0.0,
            "Bleu_4", 0.0, "ROUGE_L", 0.0, "CIDEr", 0.0);
    private static final Map<String, Double> FAIR = Map.of("Bleu_1", 0.61, "Bleu_4", 0.2, "CIDEr", 0.52);

    private final ActivationGate defaults = new ActivationGate(CaptionerProperties.Activation.defaults());

    @Test
    void aModelThatSaysNothingForMostImagesAndScoresZeroIsRefusedWithEveryReason() {
        Optional<String> refusal = defaults.refusal(new ActivationGate.Scores(ZERO, 22, 18), Optional.empty());
        assertThat(refusal).contains("not activated: the captions of 18 of 22 validation images are empty "
                + "(at least 50% must say something); Bleu_1 0.000 is below the floor of 0.050; "
                + "CIDEr 0.000 is below the floor of 0.010");
    }

    @Test
    void aFairModelPassesAndMayHaveSomeEmptyCaptions() {
        assertThat(defaults.refusal(new ActivationGate.Scores(FAIR, 22, 11), Optional.empty())).isEmpty();
        assertThat(defaults.refusal(new ActivationGate.Scores(FAIR, 22, 12), Optional.empty()))
                .hasValueSatisfying(reason -> assertThat(reason).contains("12 of 22"));
    }

    @Test
    void missingMetricsCountAsZeroAndNoCaptionedImageIsARefusal() {
        assertThat(defaults.refusal(new ActivationGate.Scores(Map.of(), 0, null), Optional.empty()))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .contains("no validation image could be captioned").contains("CIDEr 0.000"));
        // an evaluation from before empty captions were counted: the metric floors still apply
        assertThat(defaults.refusal(new ActivationGate.Scores(FAIR, 22, null), Optional.empty())).isEmpty();
    }

    @Test
    void comparedWithTheActiveModelOnlyWhenAsked() {
        ActivationGate comparing = new ActivationGate(new CaptionerProperties.Activation(0.5, 0.05, 0.01, true));
        ActivationGate.Incumbent better = new ActivationGate.Incumbent("live", 0.8);
        assertThat(comparing.comparesWithActive()).isTrue();
        assertThat(defaults.comparesWithActive()).isFalse();
        assertThat(comparing.refusal(new ActivationGate.Scores(FAIR, 22, 0), Optional.of(better)))
                .contains("not activated: CIDEr 0.520 is below the active model 'live''s 0.800 on the same "
                        + "validation images");
        assertThat(comparing.refusal(new ActivationGate.Scores(FAIR, 22, 0),
                Optional.of(new ActivationGate.Incumbent("live", 0.52)))).isEmpty();
    }
}
