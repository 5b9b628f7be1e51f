package dev.captioner.web;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.captioner.language.Captioner;
import dev.captioner.language.GridShape;
import dev.captioner.serving.CaptionResult;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * JSON body of a successful caption request.
 *
 * @param attentionGrid present when attention maps were asked for: the grid every map is over
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaptionResponse(List<CaptionJson> captions, ModelJson model, Map<String, Long> timingsMs,
                              AttentionGridJson attentionGrid) {

    /**
     * @param attention             with attention=true: for each token, where the model looked when it chose it, as
     *                              attention[token][row][column], weights summing to 1 (rounded to 4 decimals)
     * @param tokenLogProbabilities for each token, its log-probability at its step
     * @param endLogProbability     END's log-probability after the last token; absent when maxLength cut the caption
     *                              short. The tokens' values, then this one, sum to logProbability
     * @param alternatives          with alternatives=k: for each token, the k most likely other words at its step
     * @param confidence            the calibrated chance (0..1, 3 decimals) that the caption scores at least the
     *                              model's calibration threshold; absent for a model without a calibration
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CaptionJson(String text, List<String> tokens, double logProbability, double probability,
                              List<double[][]> attention,
                              @Schema(description = "for each token, its log-probability (natural log) at its step")
                              List<Double> tokenLogProbabilities,
                              @Schema(description = "END's log-probability after the last token; absent when "
                                      + "maxLength cut the caption short")
                              Double endLogProbability,
                              @Schema(description = "with alternatives=k: for each token, the k most likely other "
                                      + "words at its step, most likely first ('<end>': stopping there)")
                              List<List<WordJson>> alternatives,
                              @Schema(description = "the calibrated chance (0..1) that this caption's CIDEr-D reaches "
                                      + "the model's calibration threshold; absent for a model without a calibration")
                              Double confidence) {
    }

    /** A word the model also weighed, with its log-probability at that step. */
    public record WordJson(String word, double logProbability) {
    }

    public record ModelJson(String id, String encoder) {
    }

    @Schema(description = "The grid the attention maps are over: VGG16's conv5_3 cells over the whole image")
    public record AttentionGridJson(int rows, int columns,
                                    @Schema(description = "what the grid covers") String covers) {

        static AttentionGridJson of(GridShape grid) {
            return new AttentionGridJson(grid.rows(), grid.columns(), "the whole image, resized to 224x224 without "
                    + "cropping: cell [r][c] covers rows r/" + grid.rows() + " to (r+1)/" + grid.rows()
                    + " of its height and columns c/" + grid.columns() + " to (c+1)/" + grid.columns() + " of its width");
        }
    }

    static CaptionResponse from(CaptionResult result, boolean withAttention) {
        boolean maps = withAttention && result.attentionGrid() != null;
        List<Captioner.Caption> captions = result.captions();
        return new CaptionResponse(
                IntStream.range(0, captions.size())
                        .mapToObj(i -> {
                            Captioner.Caption c = captions.get(i);
                            return new CaptionJson(c.text(), c.tokens(), c.logProbability(), c.probability(),
                                    maps ? grids(c, result.attentionGrid()) : null, c.tokenLogProbabilities(),
                                    c.endLogProbability(), alternatives(c), confidence(result, i));
                        })
                        .toList(),
                new ModelJson(result.modelId(), result.encoderId()),
                Map.of("decode", result.decodeMillis(), "encode", result.encodeMillis(),
                        "generate", result.generateMillis()),
                maps ? AttentionGridJson.of(result.attentionGrid()) : null);
    }

    private static List<List<WordJson>> alternatives(Captioner.Caption caption) {
        if (caption.alternatives() == null) {
            return null;
        }
        return caption.alternatives().stream()
                .map(step -> step.stream().map(a -> new WordJson(a.word(), a.logProbability())).toList())
                .toList();
    }

    private static Double confidence(CaptionResult result, int caption) {
        if (result.confidences() == null) {
            return null;
        }
        return Math.round(result.confidences().get(caption) * 1000) / 1000.0;
    }

    private static List<double[][]> grids(Captioner.Caption caption, GridShape grid) {
        return caption.attention().stream().map(grid::asRows).toList();
    }
}
