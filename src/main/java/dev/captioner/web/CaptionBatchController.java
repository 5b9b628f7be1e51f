package dev.captioner.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.language.CaptionOptions;
import dev.captioner.serving.CaptionOutcome;
import dev.captioner.serving.CaptionService;
import dev.captioner.upload.MultipartUpload;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/captions:batch}: several images, each a multipart field {@code image}, captioned with the
 * same options; the answer has one entry per image, in order, each its captions or the problem that image alone
 * would get. Only a request that is wrong as a whole (bad options, a malformed body, too many images, no model, a
 * busy service) is refused as a whole.
 */
@RestController
class CaptionBatchController {

    static final String PATH = "/api/v1/captions:batch";
    static final String FIELD = "image";

    private final CaptionService captionService;
    private final CaptionerProperties properties;
    private final MultipartUpload multipart;

    CaptionBatchController(CaptionService captionService, CaptionerProperties properties) {
        this.captionService = captionService;
        this.properties = properties;
        CaptionerProperties.Uploads uploads = properties.uploads();
        // every image is a part: the part limit must not refuse a batch the image limit allows
        this.multipart = new MultipartUpload(Math.max(uploads.maxParts(), uploads.maxBatchImages()),
                (int) uploads.maxPartHeaderSize().toBytes());
    }

    @Operation(summary = "Caption several uploaded images (multipart fields 'image', at most "
            + "captioner.uploads.max-batch-images, 8 by default) with the same options; one result per image, in order")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = ImagesForm.class)))
    @PostMapping(path = PATH, consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    CaptionBatchResponse captionBatch(HttpServletRequest request,
                                      @ParameterObject @Valid CaptionController.CaptionParameters parameters)
            throws IOException {
        CaptionOptions options = parameters.toOptions(properties.generation());
        long maxImageSize = properties.maxImageSize().toBytes();
        List<MultipartUpload.FilePart> parts = multipart.files(request, FIELD, properties.uploads().maxBatchImages(),
                maxImageSize, "too-many-images");
        List<byte[]> images = parts.stream().filter(p -> !p.overLimit()).map(MultipartUpload.FilePart::bytes).toList();
        Iterator<CaptionOutcome> outcomes = captionService.captionEach(images, options).iterator();
        List<CaptionBatchResponse.Entry> results = new ArrayList<>(parts.size());
        for (MultipartUpload.FilePart part : parts) {
            if (part.overLimit()) {
                results.add(CaptionBatchResponse.Entry.problem(part.filename(), ApiExceptionHandler.uploadProblem(
                        MultipartUpload.tooLarge(FIELD, maxImageSize, "image-too-large"))));
                continue;
            }
            CaptionOutcome outcome = outcomes.next();
            results.add(outcome.rejection() != null
                    ? CaptionBatchResponse.Entry.problem(part.filename(), ApiExceptionHandler.imageProblem(outcome.rejection()))
                    : CaptionBatchResponse.Entry.captioned(part.filename(),
                            CaptionResponse.from(outcome.result(), options.attention())));
        }
        return new CaptionBatchResponse(results);
    }

    /** The multipart form, as the OpenAPI description shows it. */
    record ImagesForm(@ArraySchema(schema = @Schema(type = "string", format = "binary"),
            arraySchema = @Schema(description = "the images, each a field 'image'")) List<String> image) {
    }
}
