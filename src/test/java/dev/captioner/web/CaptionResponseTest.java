package dev.captioner.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import dev.captioner.language.Captioner;
import dev.captioner.serving.CaptionResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CaptionResponseTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<Captioner.Caption> CAPTIONS = List.of(
            new Captioner.Caption("a red circle", List.of("a", "red", "circle"), -0.4, Math.exp(-0.4), true),
            new Captioner.Caption("a circle", List.of("a", "circle"), -1.1, Math.exp(-1.1), true));

    @Test
    void aCalibratedModelsCaptionsEachCarryTheirConfidenceToThreeDecimals() {
        CaptionResult result = new CaptionResult(CAPTIONS, "calibrated", "vgg16/random:42", 1, 300, 12, null,
                List.of(0.81234, 0.0996));

        JsonNode json = JSON.valueToTree(CaptionResponse.from(result, false));

        assertThat(json.get("captions").get(0).get("confidence").asDouble()).isEqualTo(0.812);
        assertThat(json.get("captions").get(1).get("confidence").asDouble()).isEqualTo(0.1);
        // the raw figures stay as they were
        assertThat(json.get("captions").get(0).get("logProbability").asDouble()).isEqualTo(-0.4);
        assertThat(json.get("captions").get(1).get("probability").asDouble()).isEqualTo(Math.exp(-1.1));
    }

    @Test
    void withoutACalibrationThereIsNoConfidenceKey() {
        CaptionResult result = new CaptionResult(CAPTIONS, "plain", "vgg16/random:42", 1, 300, 12);

        JsonNode json = JSON.valueToTree(CaptionResponse.from(result, false));

        json.get("captions").valueStream().forEach(caption -> assertThat(caption.has("confidence")).isFalse());
        assertThat(Arrays.asList("text", "tokens", "logProbability", "probability"))
                .allMatch(json.get("captions").get(0)::has);
    }
}
