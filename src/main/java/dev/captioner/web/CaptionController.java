package dev.captioner.web;

import java.io.IOException;
import java.io.InputStream;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.language.CaptionOptions;
import dev.captioner.language.InvalidCaptionOptionsException;
import dev.captioner.language.LengthPenalty;
import dev.captioner.serving.CaptionService;
import dev.captioner.upload.MultipartUpload;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/captions}: an image as the multipart field {@code image}, or as the raw body with an
 * image content type. The format is always recognised from the bytes, never trusted from the headers.
 */
@RestController
class CaptionController {

    static final String PATH = "/api/v1/captions";

    private final CaptionService captionService;
    private final CaptionerProperties properties;
    private final MultipartUpload multipart;

    CaptionController(CaptionService captionService, CaptionerProperties properties) {
        this.captionService = captionService;
        this.properties = properties;
        CaptionerProperties.Uploads uploads = properties.uploads();
        this.multipart = new MultipartUpload(uploads.maxParts(), (int) uploads.maxPartHeaderSize().toBytes());
    }

    @Operation(summary = "Caption an uploaded image (multipart field 'image')")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = ImageForm.class)))
    @PostMapping(path = PATH, consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    CaptionResponse captionMultipart(HttpServletRequest request, @ParameterObject @Valid CaptionParameters parameters)
            throws IOException {
        return caption(multipart.file(request, "image", properties.maxImageSize().toBytes(), "image-too-large"),
                parameters);
    }

    @Operation(summary = "Caption an image sent as the raw request body (Content-Type image/jpeg, image/png, ...)")
    @PostMapping(path = PATH,
            consumes = {"image/*", MediaType.APPLICATION_OCTET_STREAM_VALUE},
            produces = MediaType.APPLICATION_JSON_VALUE)
    CaptionResponse captionRawBody(HttpServletRequest request, @ParameterObject @Valid CaptionParameters parameters) throws IOException {
        return caption(readBounded(request), parameters);
    }

    private CaptionResponse caption(byte[] bytes, CaptionParameters parameters) {
        CaptionOptions options = parameters.toOptions(properties.generation());
        return CaptionResponse.from(captionService.caption(bytes, options), options.attention());
    }

    /** Reads at most the size limit plus one byte, so an oversized body is refused without buffering it. */
    private byte[] readBounded(HttpServletRequest request) throws IOException {
        long limit = properties.maxImageSize().toBytes();
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(declared);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw tooLarge(bytes.length);
            }
            return bytes;
        }
    }

    private PayloadTooLargeException tooLarge(long size) {
        return new PayloadTooLargeException("image of " + size + " bytes is over the limit of "
                + properties.maxImageSize().toBytes() + " bytes");
    }

    /** The multipart form, as the OpenAPI description shows it. */
    record ImageForm(@Schema(type = "string", format = "binary", description = "the image") String image) {
    }

    /** Query parameters; unset ones take the configured defaults. */
    record CaptionParameters(
            @Parameter(description = "beam, greedy or sample")
            @Pattern(regexp = "(?i)beam|greedy|sample", message = "must be beam, greedy or sample") String mode,
            @Parameter(description = "beams kept per step (beam mode); at most captioner.generation.max-beam-size")
            @Min(1) Integer beamSize,
            @Parameter(description = "number of captions returned; beam: at most beamSize") @Min(1) Integer n,
            @Parameter(description = "sampling temperature (sample mode)")
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("100") Double temperature,
            @Parameter(description = "maximum caption length in words; at most twice captioner.generation.max-length")
            @Min(1) Integer maxLength,
            @Parameter(description = "random seed (sample mode), for reproducible samples") Long seed,
            @Parameter(description = "true: every caption also gives, per token, its attention map (rows x columns "
                    + "weights summing to 1, over the grid the response's attentionGrid describes); only for a model "
                    + "with an attention decoder, else a 400 problem of type no-attention") Boolean attention,
            @Parameter(description = "k: every token also lists the k most likely other words at its step with their "
                    + "log-probabilities, most likely first; 0 (the default) lists none; at most "
                    + CaptionOptions.MAX_ALTERNATIVES)
            @Min(0) @Max(CaptionOptions.MAX_ALTERNATIVES) Integer alternatives,
            @Parameter(description = "how beam search ranks captions of different lengths (mode=beam only): none (the "
                    + "default: by log-probability, which favours short captions), gnmt (log-probability / ((5 + |Y|) / "
                    + "6)^lengthPenaltyAlpha, Wu et al. 2016) or average (mean log-probability per step); |Y| counts "
                    + "the words and END. The returned logProbability stays the raw one")
            @Pattern(regexp = "(?i)none|gnmt|average", message = "must be none, gnmt or average") String lengthPenalty,
            @Parameter(description = "alpha of lengthPenalty=gnmt, 0 to 2 (default 0.6); only with lengthPenalty=gnmt")
            @DecimalMin("0") @DecimalMax("2") Double lengthPenaltyAlpha,
            @Parameter(description = "true: no caption produces a word trigram it already contains (every mode)")
            Boolean blockRepeatedTrigrams) {

        CaptionOptions toOptions(CaptionerProperties.Generation defaults) {
            CaptionOptions options = new CaptionOptions(
                    mode == null ? CaptionOptions.Mode.BEAM : CaptionOptions.Mode.parse(mode),
                    beamSize == null ? defaults.beamSize() : beamSize,
                    n == null ? 1 : n,
                    temperature == null ? 1.0 : temperature,
                    maxLength == null ? defaults.maxLength() : maxLength,
                    seed, Boolean.TRUE.equals(attention), alternatives == null ? 0 : alternatives, toLengthPenalty(),
                    Boolean.TRUE.equals(blockRepeatedTrigrams));
            options.validate(defaults.maxBeamSize(), defaults.maxLength() * 2);
            return options;
        }

        private LengthPenalty toLengthPenalty() {
            LengthPenalty.Kind kind = lengthPenalty == null ? LengthPenalty.Kind.NONE : LengthPenalty.Kind.parse(lengthPenalty);
            if (kind != LengthPenalty.Kind.GNMT) {
                if (lengthPenaltyAlpha != null) {
                    // an alpha without gnmt would be ignored without a word
                    throw new InvalidCaptionOptionsException("lengthPenaltyAlpha applies to lengthPenalty=gnmt only");
                }
                return kind == LengthPenalty.Kind.AVERAGE ? LengthPenalty.AVERAGE : LengthPenalty.NONE;
            }
            return LengthPenalty.gnmt(lengthPenaltyAlpha == null ? LengthPenalty.DEFAULT_ALPHA : lengthPenaltyAlpha);
        }
    }
}
