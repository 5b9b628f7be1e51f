package dev.captioner.training.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.captioner.config.DataDirectory;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class TrainingJobRequestTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path data;

    private static TrainingJobRequest parse(String json) {
        return JSON.readValue(json, TrainingJobRequest.class);
    }

    @Test
    void fillsDefaultsAndKeepsWhatWasGiven() {
        TrainingJobRequest request = parse("""
                {"dataset":{"annotations":"a.json","images":"img"},"epochs":3,"activate":true}""")
                .withDefaults("random:42");
        request.validate(VALIDATOR);
        assertThat(request.epochs()).isEqualTo(3);
        assertThat(request.batchSize()).isEqualTo(100);
        assertThat(request.hiddenSize()).isEqualTo(512);
        assertThat(request.minWordCount()).isEqualTo(5);
        assertThat(request.maxLength()).isEqualTo(16);
        assertThat(request.encoderWeights()).isEqualTo("random:42");
        assertThat(request.activate()).isTrue();
        assertThat(parse("{\"dataset\":{\"annotations\":\"a\",\"images\":\"b\"}}").withDefaults("").encoderWeights())
                .isEqualTo("imagenet");
        // a stored request round-trips to the same job
        assertThat(parse(JSON.writeValueAsString(request))).isEqualTo(request);
    }

    @Test
    void theAttentionDecoderHasItsOwnFieldsWhichAnLstmJobRefuses() {
        TrainingJobRequest attention = parse("""
                {"dataset":{"annotations":"a.json","images":"img"},"decoder":"attention","featurePrecision":"float16"}""")
                .withDefaults("random:42");
        attention.validate(VALIDATOR);
        assertThat(attention.attends()).isTrue();
        assertThat(attention.attentionSize()).isEqualTo(512);
        assertThat(attention.attentionRegularization()).isEqualTo(0.005);
        assertThat(attention.encoderId()).isEqualTo("vgg16-conv5_3/random:42");
        assertThat(attention.trainingConfig().attention()).isNotNull();
        assertThat(attention.trainingConfig().asMap()).containsEntry("decoder", "attention");
        assertThat(parse(JSON.writeValueAsString(attention))).isEqualTo(attention);

        TrainingJobRequest lstm = parse("{\"dataset\":{\"annotations\":\"a\",\"images\":\"b\"}}").withDefaults("");
        assertThat(lstm.decoder()).isEqualTo("lstm");
        assertThat(lstm.attentionSize()).isNull();
        assertThat(lstm.encoderId()).isEqualTo("vgg16/imagenet");
        assertThat(lstm.trainingConfig().attention()).isNull();
        assertThatThrownBy(() -> parse("{\"dataset\":{\"annotations\":\"a\",\"images\":\"b\"},\"attentionSize\":64}")
                .withDefaults("").validate(VALIDATOR)).isInstanceOf(InvalidJobRequestException.class)
                .hasMessageContaining("apply to the attention decoder only");
        assertThatThrownBy(() -> parse("{\"dataset\":{\"annotations\":\"a\",\"images\":\"b\"},\"decoder\":\"transformer\"}")
                .withDefaults("").validate(VALIDATOR)).hasMessageContaining("'decoder' must be 'lstm' or 'attention'");
    }

    @Test
    void refusesUnknownFieldsSoTyposDoNotSilentlyTakeDefaults() {
        assertThatThrownBy(() -> TrainingJobRequest.fromJson(JSON.readTree(
                "{\"dataset\":{\"annotations\":\"a\",\"images\":\"b\"},\"learningrate\":0.1,"
                        + "\"validation\":{\"annotation\":\"x\"}}"), JSON))
                .isInstanceOf(InvalidJobRequestException.class)
                .hasMessageContaining("[learningrate, validation.annotation]");
        assertThatThrownBy(() -> TrainingJobRequest.fromJson(JSON.readTree("[]"), JSON))
                .hasMessageContaining("JSON object");
        assertThat(TrainingJobRequest.fromJson(JSON.readTree(
                "{\"dataset\":{\"annotations\":\"a\",\"images\":\"b\",\"format\":\"coco\"},\"epochs\":2}"),
                JSON).epochs()).isEqualTo(2);
    }

    /** Jackson would bind 1.5 as 1 and "5" as 5: a request that means something else is refused instead. */
    @Test
    void refusesFractionsForWholeNumbersAndStringsForNumbersNamingTheField() {
        String[][] cases = {
                {"\"batchSize\":1.5", "'batchSize'"}, {"\"epochs\":\"5\"", "'epochs'"},
                {"\"learningRate\":\"0.1\"", "'learningRate'"}, {"\"activate\":\"true\"", "'activate'"},
                {"\"seed\":2.0", "'seed'"}, {"\"activate\":1", "'activate'"}};
        for (String[] c : cases) {
            String json = "{\"dataset\":{\"annotations\":\"a\",\"images\":\"b\"}," + c[0] + "}";
            assertThatThrownBy(() -> TrainingJobRequest.fromJson(JSON.readTree(json), JSON))
                    .as(json).isInstanceOf(InvalidJobRequestException.class)
                    .hasMessageContaining(c[1])
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern("java\\.|Integer|Boolean|`"));
        }
        assertThatThrownBy(() -> TrainingJobRequest.fromJson(JSON.readTree(
                "{\"dataset\":{\"annotations\":\"a\",\"images\":\"b\"},\"epochs\":\"5\"}"), JSON))
                .hasMessage("'epochs' must be a whole number (got \"5\")");
        // the service's own mapper stays lenient elsewhere, and a whole number still fits a decimal field
        assertThat(JSON.readValue("{\"batchSize\":1.5}", TrainingJobRequest.class).batchSize()).isEqualTo(1);
        assertThat(TrainingJobRequest.fromJson(JSON.readTree(
                "{\"dataset\":{\"annotations\":\"a\",\"images\":\"b\"},\"learningRate\":1,\"epochs\":3}"), JSON))
                .satisfies(r -> assertThat(r.learningRate()).isEqualTo(1.0))
                .satisfies(r -> assertThat(r.epochs()).isEqualTo(3));
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheField() {
        String[][] cases = {
                {"{\"epochs\":0}", "epochs"}, {"{\"batchSize\":-1}", "batchSize"},
                {"{\"learningRate\":0}", "learningRate"}, {"{\"dropout\":1}", "dropout"},
                {"{\"maxLength\":0}", "maxLength"}, {"{\"minWordCount\":0}", "minWordCount"},
                {"{\"encoderWeights\":\"resnet\"}", "encoderWeights"}, {"{\"modelId\":\"../x\"}", "modelId"},
                {"{\"validationFraction\":1.5}", "validationFraction"},
                {"{\"dataset\":{\"format\":\"voc\"}}", "format"}};
        for (String[] c : cases) {
            String json = c[0].startsWith("{\"dataset\"") ? c[0].replace("{\"format\"",
                    "{\"annotations\":\"a\",\"images\":\"b\",\"format\"")
                    : c[0].replace("{", "{\"dataset\":{\"annotations\":\"a\",\"images\":\"b\"},");
            assertThatThrownBy(() -> parse(json).withDefaults("").validate(VALIDATOR))
                    .as(json).isInstanceOf(InvalidJobRequestException.class).hasMessageContaining(c[1]);
        }
        assertThatThrownBy(() -> parse("{}").withDefaults("").validate(VALIDATOR)).hasMessageContaining("'dataset' is required");
        assertThatThrownBy(() -> parse("{\"dataset\":{\"images\":\"b\"},\"epochs\":0}").withDefaults("").validate(VALIDATOR))
                .as("every problem at once").hasMessageContaining("'dataset.annotations' must not be blank")
                .hasMessageContaining("'epochs' must be greater than or equal to 1 (got 0)");
    }

    @Test
    void detectsTheAnnotationFormatAndHoldsOutValidationWhenNoneIsGiven() throws Exception {
        Files.createDirectories(data.resolve("img"));
        StringBuilder coco = new StringBuilder("{\"images\":[");
        StringBuilder annotations = new StringBuilder("\"annotations\":[");
        for (int i = 1; i <= 40; i++) {
            coco.append(i > 1 ? "," : "").append("{\"id\":").append(i).append(",\"file_name\":\"").append(i).append(".png\"}");
            annotations.append(i > 1 ? "," : "").append("{\"image_id\":").append(i).append(",\"caption\":\"A Cat, ")
                    .append(i).append(".\"}");
        }
        Files.writeString(data.resolve("coco.json"), coco + "]," + annotations + "]}");
        Files.writeString(data.resolve("karpathy.json"), dev.captioner.dataset.KarpathySplitTest.FILE);
        DataDirectory directory = new DataDirectory(data);

        TrainingJobRequest request = parse("{\"dataset\":{\"annotations\":\"coco.json\",\"images\":\"img\"}}")
                .withDefaults("");
        JobDataset dataset = JobDataset.load(request, directory);
        assertThat(dataset.train().size()).isEqualTo(38);
        assertThat(dataset.validation().size()).isEqualTo(2);
        assertThat(dataset.validationSource()).startsWith("held out 2");
        assertThat(dataset.train().captions().get(0).get(0)).containsExactly("a", "cat", "1");

        JobDataset karpathy = JobDataset.load(parse(
                "{\"dataset\":{\"annotations\":\"karpathy.json\",\"images\":\"img\"}}").withDefaults(""), directory);
        assertThat(karpathy.train().imageIds()).containsExactly(2L, 3L);
        assertThat(karpathy.validation().imageIds()).containsExactly(1L);
        assertThat(karpathy.validationSource()).isEqualTo("karpathy val split");
    }
}
